import type { TokenRow } from '@tollgate/db';
import type { TToken } from '@tollgate/domain';
import { toTokenObject } from '../token-object.ts';

/** What the web app's token page shows beyond the token object: the token's own limits and its rotation state. */
export interface TokenDetail extends TToken {
  /** The token's own limits (§6), lower than the organisation's; null where it has none. */
  rateLimitPerMinute: number | null;
  rateLimitPerHour: number | null;
  /** After a rotation with grace: until when the previous secret still works; null when it does not. */
  previousSecretExpiresAt: string | null;
}

export function toTokenDetail(row: TokenRow, now: Date): TokenDetail {
  const graceEnds = row.previousHash !== null ? row.previousHashExpiresAt : null;
  return {
    ...toTokenObject(row, now),
    rateLimitPerMinute: row.rateLimitPerMinute,
    rateLimitPerHour: row.rateLimitPerHour,
    previousSecretExpiresAt:
      graceEnds !== null && graceEnds.getTime() > now.getTime() ? graceEnds.toISOString() : null,
  };
}
