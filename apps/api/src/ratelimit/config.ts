import {
  effectiveLimits,
  type RateLimitOverrides,
  type RateLimits,
  TIER_NAMES,
  type Tier,
  tierLimits,
} from '@tollgate/domain';
import { z } from 'zod';

/** The two windows of §6, counted at once for every authenticated request. */
export const RATE_LIMIT_WINDOWS = [
  { name: 'minute', seconds: 60, field: 'perMinute' },
  { name: 'hour', seconds: 3_600, field: 'perHour' },
] as const;

export type RateLimitWindowName = (typeof RATE_LIMIT_WINDOWS)[number]['name'];

/** Failed authentications allowed per client address and minute before further attempts get 429. */
export const DEFAULT_FAILED_AUTH_PER_MINUTE = 30;

/** What a request's limits are made of: the organisation's tier and custom limits, and the token's own. */
export interface RateLimitSource {
  tier: Tier;
  /** organizations.customRateLimitPerMinute/PerHour (honoured on the enterprise tier only). */
  organizationCustom: RateLimitOverrides;
  /** tokens.rateLimitPerMinute/PerHour; absent for sessions. */
  token?: RateLimitOverrides;
}

/** Settings of the limiter that differ from the §6 defaults: for tests and for the testing-only env override. */
export interface RateLimitSettings {
  /** Replaces the numbers of some tiers (tests: e.g. free = 3 per minute, 5 per hour, so nobody waits an hour). */
  tiers?: Partial<Record<Tier, RateLimits>>;
  /** Failed authentications per client address and minute (default 30). */
  failedAuthPerMinute?: number;
  /** Prefix of every counter's key in the store (default `tollgate`); tests sharing one Redis use their own. */
  keyPrefix?: string;
}

const ZLimit = z.number().int().positive();
const ZLimits = z.object({ perMinute: ZLimit, perHour: ZLimit }).strict();

export const ZRateLimitSettings = z
  .object({
    tiers: z.partialRecord(z.enum(TIER_NAMES), ZLimits).optional(),
    failedAuthPerMinute: ZLimit.optional(),
    keyPrefix: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
      .optional(),
  })
  .strict();

/**
 * TOLLGATE_RATE_LIMIT_OVERRIDE (testing only): JSON of {@link RateLimitSettings}, e.g.
 * `{"tiers":{"free":{"perMinute":3,"perHour":5}},"keyPrefix":"test-1"}`, so that a spawned server process
 * can be driven over its limits without waiting. Not for production: the §6 table is the product.
 */
export const ZRateLimitOverrideEnv = z
  .string()
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(ZRateLimitSettings);

/**
 * The organisation's limits: the domain's tier table (with enterprise custom limits), where `tiers` may
 * replace a tier's numbers for tests. The domain stays the single source of the rules; only the table's
 * numbers can be swapped.
 */
export function organizationLimitsOf(
  source: RateLimitSource,
  tiers?: RateLimitSettings['tiers'],
): RateLimits {
  const limits = tierLimits(source.tier, source.organizationCustom);
  const replaced = tiers?.[source.tier];
  if (!replaced) return limits;
  const custom = source.tier === 'enterprise' ? source.organizationCustom : {};
  return {
    perMinute: custom.perMinute != null ? limits.perMinute : replaced.perMinute,
    perHour: custom.perHour != null ? limits.perHour : replaced.perHour,
  };
}

/** The limits a request is held to per window: the lower of the organisation's and the token's own. */
export function requestLimitsOf(source: RateLimitSource, tiers?: RateLimitSettings['tiers']): RateLimits {
  return effectiveLimits(organizationLimitsOf(source, tiers), source.token);
}
