import { z } from 'zod';

export const TIER_NAMES = ['free', 'basic', 'standard', 'premium', 'enterprise'] as const;
export type Tier = (typeof TIER_NAMES)[number];
export const ZTier = z.enum(TIER_NAMES, {
  error: 'Tier must be free, basic, standard, premium or enterprise',
});

/** Requests allowed per organisation in each window; both windows apply at once. */
export interface RateLimits {
  perMinute: number;
  perHour: number;
}

/** Optional limits that may replace or lower a window; null or absent leaves it alone. */
export interface RateLimitOverrides {
  perMinute?: number | null;
  perHour?: number | null;
}

/** The tier table of §6, in ascending order. */
export const TIERS: Readonly<Record<Tier, Readonly<RateLimits>>> = Object.freeze({
  free: Object.freeze({ perMinute: 60, perHour: 1_000 }),
  basic: Object.freeze({ perMinute: 120, perHour: 3_000 }),
  standard: Object.freeze({ perMinute: 300, perHour: 10_000 }),
  premium: Object.freeze({ perMinute: 600, perHour: 30_000 }),
  enterprise: Object.freeze({ perMinute: 1_200, perHour: 100_000 }),
});

function assertLimit(value: number | null | undefined, field: string): void {
  if (value != null && (!Number.isSafeInteger(value) || value < 1)) {
    throw new RangeError(`${field} must be a positive integer, got ${value}`);
  }
}

/**
 * An organisation's limits. `custom` (a per-organisation agreement) replaces either window, and only on
 * the enterprise tier: elsewhere it is ignored, so a stale override left behind after a downgrade cannot
 * keep an organisation above its tier. Throws a RangeError on a non-positive or fractional custom limit.
 */
export function tierLimits(tier: Tier, custom?: RateLimitOverrides): RateLimits {
  const base = TIERS[tier];
  if (tier !== 'enterprise' || !custom) return { perMinute: base.perMinute, perHour: base.perHour };
  assertLimit(custom.perMinute, 'perMinute');
  assertLimit(custom.perHour, 'perHour');
  return { perMinute: custom.perMinute ?? base.perMinute, perHour: custom.perHour ?? base.perHour };
}

/**
 * The limits a token's requests are held to: per window, the lower of the organisation's and the token's
 * own. A token may carry a lower limit, never a higher one, so a higher token limit simply has no effect.
 */
export function effectiveLimits(orgLimits: RateLimits, tokenLimits?: RateLimitOverrides): RateLimits {
  assertLimit(tokenLimits?.perMinute, 'perMinute');
  assertLimit(tokenLimits?.perHour, 'perHour');
  return {
    perMinute: Math.min(orgLimits.perMinute, tokenLimits?.perMinute ?? Number.POSITIVE_INFINITY),
    perHour: Math.min(orgLimits.perHour, tokenLimits?.perHour ?? Number.POSITIVE_INFINITY),
  };
}
