import { describe, expect, it } from 'vitest';
import { resolveTokenExpiry } from './expiry.ts';
import {
  DEFAULT_POLICY,
  resolvePolicy,
  type TOrganizationPolicy,
  ZOrganizationPolicy,
  ZOrganizationPolicyPatch,
} from './policy.ts';

const DAY = 86_400_000;
const NOW = new Date('2030-01-01T00:00:00.000Z');
const policy = (overrides: Partial<TOrganizationPolicy> = {}): TOrganizationPolicy => ({
  ...resolvePolicy(undefined),
  ...overrides,
});

describe('DEFAULT_POLICY', () => {
  it('lets every role use tokens and owner, admin and member create them, with no expiry rules', () => {
    expect(DEFAULT_POLICY).toEqual({
      tokenUseRoles: ['owner', 'admin', 'member', 'viewer'],
      tokenCreateRoles: ['owner', 'admin', 'member'],
      maxTokenLifetimeDays: null,
      requireExpiry: false,
      apiAccess: 'tokens_and_sessions',
      allowedIpRanges: [],
      expiryNoticeDays: [30, 7, 1],
      revokeOnReuse: false,
    });
    expect(ZOrganizationPolicy.parse(DEFAULT_POLICY)).toEqual(DEFAULT_POLICY);
  });
});

describe('ZOrganizationPolicy and its patch', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a lifetime of 0 days', { maxTokenLifetimeDays: 0 }],
    ['a lifetime above 3650 days', { maxTokenLifetimeDays: 3651 }],
    ['a fractional lifetime', { maxTokenLifetimeDays: 1.5 }],
    ['an unknown role', { tokenUseRoles: ['owner', 'guest'] }],
    ['a duplicated role', { tokenCreateRoles: ['owner', 'owner'] }],
    ['an unknown apiAccess', { apiAccess: 'sessions_only' }],
    ['a bad IP range', { allowedIpRanges: ['10.0.0.0/8', '10.0.0'] }],
  ])('refuses %s', (_label, patch) => {
    expect(ZOrganizationPolicyPatch.safeParse(patch).success).toBe(false);
    expect(ZOrganizationPolicy.safeParse({ ...DEFAULT_POLICY, ...patch }).success).toBe(false);
  });

  it('accepts an empty patch and a partial one', () => {
    expect(ZOrganizationPolicyPatch.parse({})).toEqual({});
    expect(ZOrganizationPolicyPatch.parse({ requireExpiry: true, maxTokenLifetimeDays: 90 })).toEqual({
      requireExpiry: true,
      maxTokenLifetimeDays: 90,
    });
  });

  it('requires every field in a full policy', () => {
    const { apiAccess: _omitted, ...partial } = DEFAULT_POLICY;
    expect(ZOrganizationPolicy.safeParse(partial).success).toBe(false);
  });
});

describe('resolvePolicy', () => {
  it.each<[string, unknown, Partial<TOrganizationPolicy>]>([
    ['null', null, {}],
    ['an empty object', {}, {}],
    ['an array', [], {}],
    ['a string', 'tokens_only', {}],
    ['one stored field', { apiAccess: 'tokens_only' }, { apiAccess: 'tokens_only' }],
    [
      'several stored fields and an unrelated key',
      { requireExpiry: true, maxTokenLifetimeDays: 30, theme: 'dark' },
      { requireExpiry: true, maxTokenLifetimeDays: 30 },
    ],
    [
      'an invalid field next to a valid one: only the invalid one falls back',
      { maxTokenLifetimeDays: -4, tokenUseRoles: ['owner'] },
      { tokenUseRoles: ['owner'] },
    ],
    ['an explicit null lifetime', { maxTokenLifetimeDays: null }, {}],
    ['IP ranges', { allowedIpRanges: ['10.0.0.0/8'] }, { allowedIpRanges: ['10.0.0.0/8'] }],
    ['revokeOnReuse', { revokeOnReuse: true }, { revokeOnReuse: true }],
    ['a revokeOnReuse that is not a boolean', { revokeOnReuse: 'yes' }, {}],
  ])('merges %s over the defaults', (_label, stored, expected) => {
    expect(resolvePolicy(stored)).toEqual({ ...DEFAULT_POLICY, ...expected });
  });

  it('returns arrays the caller may change without touching the defaults', () => {
    const resolved = resolvePolicy({});
    resolved.tokenUseRoles.pop();
    resolved.allowedIpRanges.push('10.0.0.0/8');
    expect(DEFAULT_POLICY.tokenUseRoles).toHaveLength(4);
    expect(DEFAULT_POLICY.allowedIpRanges).toHaveLength(0);
  });
});

describe('resolveTokenExpiry', () => {
  it.each<[string, Parameters<typeof resolveTokenExpiry>[0], Date | null]>([
    ['no expiry under the default policy', { policy: policy(), now: NOW }, null],
    ['expiresInDays', { policy: policy(), now: NOW, expiresInDays: 30 }, new Date(NOW.getTime() + 30 * DAY)],
    [
      'expiresAt as an ISO string with an offset',
      { policy: policy(), now: NOW, expiresAt: '2030-02-01T02:00:00+02:00' },
      new Date('2030-02-01T00:00:00Z'),
    ],
    [
      'expiresAt as a Date',
      { policy: policy(), now: NOW, expiresAt: new Date('2031-01-01T00:00:00Z') },
      new Date('2031-01-01T00:00:00Z'),
    ],
    [
      'exactly the maximum lifetime',
      { policy: policy({ maxTokenLifetimeDays: 90 }), now: NOW, expiresInDays: 90 },
      new Date(NOW.getTime() + 90 * DAY),
    ],
    [
      'no expiry under a maximum lifetime: the maximum',
      { policy: policy({ maxTokenLifetimeDays: 90 }), now: NOW },
      new Date(NOW.getTime() + 90 * DAY),
    ],
    ['nulls mean absent', { policy: policy(), now: NOW, expiresAt: null, expiresInDays: null }, null],
    [
      'required expiry given',
      { policy: policy({ requireExpiry: true }), now: NOW, expiresInDays: 7 },
      new Date(NOW.getTime() + 7 * DAY),
    ],
  ])('accepts %s', (_label, input, expected) => {
    expect(resolveTokenExpiry(input)).toEqual({ ok: true, expiresAt: expected });
  });

  it.each<[string, Parameters<typeof resolveTokenExpiry>[0], RegExp]>([
    [
      'both forms',
      { policy: policy(), now: NOW, expiresAt: '2031-01-01T00:00:00Z', expiresInDays: 5 },
      /not both/,
    ],
    ['a past expiresAt', { policy: policy(), now: NOW, expiresAt: '2029-12-31T23:59:59Z' }, /future/],
    ['expiresAt equal to now', { policy: policy(), now: NOW, expiresAt: NOW }, /future/],
    ['an unparseable expiresAt', { policy: policy(), now: NOW, expiresAt: 'next tuesday' }, /ISO 8601/],
    ['zero days', { policy: policy(), now: NOW, expiresInDays: 0 }, /at least 1/],
    ['fractional days', { policy: policy(), now: NOW, expiresInDays: 1.5 }, /whole number/],
    [
      'a missing required expiry',
      { policy: policy({ requireExpiry: true }), now: NOW },
      /requires tokens to have an expiry/,
    ],
    [
      'a missing required expiry, even with a maximum',
      { policy: policy({ requireExpiry: true, maxTokenLifetimeDays: 30 }), now: NOW },
      /requires/,
    ],
    [
      'one day past the maximum',
      { policy: policy({ maxTokenLifetimeDays: 90 }), now: NOW, expiresInDays: 91 },
      /limits tokens to 90 days/,
    ],
    [
      'an expiresAt one second past the maximum',
      {
        policy: policy({ maxTokenLifetimeDays: 1 }),
        now: NOW,
        expiresAt: new Date(NOW.getTime() + DAY + 1000),
      },
      /limits tokens to 1 day;/,
    ],
  ])('refuses %s', (_label, input, message) => {
    const result = resolveTokenExpiry(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('does not keep a reference to the caller’s Date', () => {
    const expiresAt = new Date('2031-01-01T00:00:00Z');
    const result = resolveTokenExpiry({ policy: policy(), now: NOW, expiresAt });
    expiresAt.setFullYear(2040);
    expect(result).toEqual({ ok: true, expiresAt: new Date('2031-01-01T00:00:00Z') });
  });
});
