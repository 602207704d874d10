import type { Generated, Selectable } from 'kysely';

/** Owned by rate-limiter-flexible's RateLimiterPostgres (tableName 'rate_limits'); typed for inspection only. */
export interface RateLimitsTable {
  key: string;
  points: Generated<number>;
  /** Unix time in milliseconds; null for a key that never expires. */
  expire: number | null;
}

export type RateLimitRow = Selectable<RateLimitsTable>;
