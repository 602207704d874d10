import { describe, expect, it } from 'vitest';
import {
  effectiveLimits,
  type RateLimits,
  TIER_NAMES,
  TIERS,
  type Tier,
  tierLimits,
  ZTier,
} from './tiers.ts';

describe('tier table (§6)', () => {
  it.each<[Tier, number, number]>([
    ['free', 60, 1_000],
    ['basic', 120, 3_000],
    ['standard', 300, 10_000],
    ['premium', 600, 30_000],
    ['enterprise', 1_200, 100_000],
  ])('%s: %d per minute, %d per hour', (tier, perMinute, perHour) => {
    expect(TIERS[tier]).toEqual({ perMinute, perHour });
    expect(tierLimits(tier)).toEqual({ perMinute, perHour });
  });

  it('lists tiers in ascending order', () => {
    expect(Object.keys(TIERS)).toEqual(TIER_NAMES);
    expect(ZTier.safeParse('gold').success).toBe(false);
  });
});

describe('tierLimits with custom limits', () => {
  it.each<[string, Tier, Parameters<typeof tierLimits>[1], RateLimits]>([
    [
      'enterprise, both custom',
      'enterprise',
      { perMinute: 5_000, perHour: 250_000 },
      { perMinute: 5_000, perHour: 250_000 },
    ],
    ['enterprise, one custom', 'enterprise', { perHour: 50_000 }, { perMinute: 1_200, perHour: 50_000 }],
    [
      'enterprise, nulls fall back',
      'enterprise',
      { perMinute: null, perHour: null },
      { perMinute: 1_200, perHour: 100_000 },
    ],
    [
      'free ignores custom limits',
      'free',
      { perMinute: 5_000, perHour: 250_000 },
      { perMinute: 60, perHour: 1_000 },
    ],
    ['premium ignores custom limits', 'premium', { perMinute: 1 }, { perMinute: 600, perHour: 30_000 }],
  ])('%s', (_label, tier, custom, expected) => {
    expect(tierLimits(tier, custom)).toEqual(expected);
  });

  it.each([0, -5, 1.5, Number.NaN])('refuses a custom limit of %d', (value) => {
    expect(() => tierLimits('enterprise', { perMinute: value })).toThrow(RangeError);
  });

  it('returns a copy that cannot alter the table', () => {
    const limits = tierLimits('free');
    limits.perMinute = 1;
    expect(TIERS.free.perMinute).toBe(60);
  });
});

describe('effectiveLimits', () => {
  const org: RateLimits = { perMinute: 300, perHour: 10_000 };
  it.each<[string, Parameters<typeof effectiveLimits>[1], RateLimits]>([
    ['no token limits', undefined, org],
    ['a lower per-minute limit', { perMinute: 10 }, { perMinute: 10, perHour: 10_000 }],
    ['a lower per-hour limit', { perHour: 500, perMinute: null }, { perMinute: 300, perHour: 500 }],
    ['a higher limit has no effect', { perMinute: 1_000, perHour: 1_000_000 }, org],
    ['mixed', { perMinute: 1_000, perHour: 20 }, { perMinute: 300, perHour: 20 }],
  ])('%s', (_label, token, expected) => {
    expect(effectiveLimits(org, token)).toEqual(expected);
  });

  it('refuses a zero token limit rather than blocking or ignoring it silently', () => {
    expect(() => effectiveLimits(org, { perMinute: 0 })).toThrow(RangeError);
  });
});
