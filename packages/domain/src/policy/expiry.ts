import type { TOrganizationPolicy } from './policy.ts';

const DAY_MS = 86_400_000;

export interface ResolveTokenExpiryInput {
  policy: Pick<TOrganizationPolicy, 'maxTokenLifetimeDays' | 'requireExpiry'>;
  now: Date;
  /** An absolute expiry: a Date or an ISO 8601 string. */
  expiresAt?: Date | string | null;
  /** A relative expiry in whole days from `now`. */
  expiresInDays?: number | null;
}

/** Why an expiry was refused, for callers that word it their own way (the web form names its own fields). */
export type TokenExpiryRefusal =
  | 'both'
  | 'invalid_days'
  | 'invalid_date'
  | 'not_future'
  | 'required'
  | 'too_long';

export type ResolveTokenExpiryResult =
  | { ok: true; expiresAt: Date | null }
  | { ok: false; reason: TokenExpiryRefusal; message: string };

function plural(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

/**
 * The expiry of a new token under the organisation's policy (§5), applied at creation only. Refuses both
 * forms at once, an expiry that is not in the future, a missing expiry when one is required, and one
 * beyond the maximum lifetime. With a maximum lifetime but no requirement, a token created without an
 * expiry gets the maximum, rather than living for ever against the policy.
 */
export function resolveTokenExpiry({
  policy,
  now,
  expiresAt,
  expiresInDays,
}: ResolveTokenExpiryInput): ResolveTokenExpiryResult {
  const hasAbsolute = expiresAt !== undefined && expiresAt !== null;
  const hasRelative = expiresInDays !== undefined && expiresInDays !== null;
  if (hasAbsolute && hasRelative)
    return { ok: false, reason: 'both', message: 'Give either expiresAt or expiresInDays, not both.' };

  const maxDays = policy.maxTokenLifetimeDays;
  let expiry: Date;
  if (hasRelative) {
    if (!Number.isInteger(expiresInDays) || expiresInDays < 1) {
      return {
        ok: false,
        reason: 'invalid_days',
        message: 'expiresInDays must be a whole number of days, at least 1.',
      };
    }
    expiry = new Date(now.getTime() + expiresInDays * DAY_MS);
  } else if (hasAbsolute) {
    expiry = typeof expiresAt === 'string' ? new Date(expiresAt) : new Date(expiresAt.getTime());
    if (Number.isNaN(expiry.getTime()))
      return { ok: false, reason: 'invalid_date', message: 'expiresAt must be an ISO 8601 date and time.' };
    if (expiry.getTime() <= now.getTime())
      return { ok: false, reason: 'not_future', message: 'expiresAt must be in the future.' };
  } else if (policy.requireExpiry) {
    return {
      ok: false,
      reason: 'required',
      message: "This organisation's policy requires tokens to have an expiry date.",
    };
  } else if (maxDays !== null) {
    return { ok: true, expiresAt: new Date(now.getTime() + maxDays * DAY_MS) };
  } else {
    return { ok: true, expiresAt: null };
  }

  if (maxDays !== null && expiry.getTime() > now.getTime() + maxDays * DAY_MS) {
    return {
      ok: false,
      reason: 'too_long',
      message: `This organisation's policy limits tokens to ${plural(maxDays)}; choose an earlier expiry.`,
    };
  }
  return { ok: true, expiresAt: expiry };
}
