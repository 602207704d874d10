import { describe, expect, it } from 'vitest';
import { newId } from '../id/ids.ts';
import {
  tokenStatus,
  ZCreateTokenInput,
  ZListTokensInput,
  ZRotateTokenInput,
  ZScopeList,
  ZToken,
  ZTokenWithSecret,
  ZUpdateTokenInput,
} from './token.ts';

const issuePaths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
  result.error?.issues.map((issue) => issue.path.join('.')) ?? [];

describe('ZCreateTokenInput', () => {
  it('fills defaults and trims the name', () => {
    expect(ZCreateTokenInput.parse({ name: '  CI deploy  ' })).toEqual({
      name: 'CI deploy',
      ipAllowlist: [],
      type: 'personal',
    });
  });

  it('accepts a complete request', () => {
    const subjectUserId = newId('user');
    const input = {
      name: 'Nightly sync',
      description: 'Copies reviews to the warehouse',
      environment: 'production',
      scopes: ['reviews:read', 'billing:read'],
      expiresAt: '2031-01-01T00:00:00+01:00',
      ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'],
      type: 'service',
      subjectUserId,
      rateLimitPerMinute: 10,
      rateLimitPerHour: 100,
    };
    expect(ZCreateTokenInput.parse(input)).toEqual(input);
  });

  it('lets unknown scopes through so the API can answer UNKNOWN_SCOPE', () => {
    expect(ZCreateTokenInput.parse({ name: 'x', scopes: ['wiki:admin'] }).scopes).toEqual(['wiki:admin']);
    expect(ZScopeList.safeParse(['wiki:admin']).success).toBe(false);
    expect(ZScopeList.parse(['wiki:read'])).toEqual(['wiki:read']);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a blank name', { name: '   ' }, 'name'],
    ['a 101-character name', { name: 'x'.repeat(101) }, 'name'],
    ['a 501-character description', { name: 'x', description: 'd'.repeat(501) }, 'description'],
    ['an environment with spaces', { name: 'x', environment: 'prod env' }, 'environment'],
    ['an environment starting with a dash', { name: 'x', environment: '-prod' }, 'environment'],
    ['an empty environment', { name: 'x', environment: '' }, 'environment'],
    ['a date-only expiresAt', { name: 'x', expiresAt: '2031-01-01' }, 'expiresAt'],
    ['expiresInDays 0', { name: 'x', expiresInDays: 0 }, 'expiresInDays'],
    ['expiresInDays 3651', { name: 'x', expiresInDays: 3651 }, 'expiresInDays'],
    ['fractional expiresInDays', { name: 'x', expiresInDays: 2.5 }, 'expiresInDays'],
    ['a bad IP range', { name: 'x', ipAllowlist: ['10.0.0.0/8', 'nope'] }, 'ipAllowlist.1'],
    ['101 IP ranges', { name: 'x', ipAllowlist: Array(101).fill('10.0.0.1') }, 'ipAllowlist'],
    ['an unknown type', { name: 'x', type: 'robot' }, 'type'],
    ['a non-user subject id', { name: 'x', subjectUserId: newId('organization') }, 'subjectUserId'],
    ['a zero rate limit', { name: 'x', rateLimitPerMinute: 0 }, 'rateLimitPerMinute'],
    ['a fractional rate limit', { name: 'x', rateLimitPerHour: 1.5 }, 'rateLimitPerHour'],
    ['scopes that are not strings', { name: 'x', scopes: [1] }, 'scopes.0'],
  ])('refuses %s at %s', (_label, input, path) => {
    expect(issuePaths(ZCreateTokenInput.safeParse(input))).toContain(path);
  });

  it('accepts environment labels such as staging-eu and PROD_2', () => {
    expect(ZCreateTokenInput.parse({ name: 'x', environment: 'staging-eu' }).environment).toBe('staging-eu');
    expect(ZCreateTokenInput.parse({ name: 'x', environment: 'PROD_2' }).environment).toBe('PROD_2');
  });
});

describe('ZUpdateTokenInput', () => {
  it('allows clearing description and environment with null', () => {
    expect(ZUpdateTokenInput.parse({ description: null, environment: null })).toEqual({
      description: null,
      environment: null,
    });
  });

  it('has no way to change scopes', () => {
    expect(ZUpdateTokenInput.parse({ name: 'renamed', scopes: ['billing:write'] })).toEqual({
      name: 'renamed',
    });
  });

  it('still validates what it accepts', () => {
    expect(ZUpdateTokenInput.safeParse({ name: '' }).success).toBe(false);
    expect(ZUpdateTokenInput.safeParse({ ipAllowlist: ['1.2.3.4/40'] }).success).toBe(false);
  });
});

describe('ZRotateTokenInput', () => {
  it.each<[unknown, number | null]>([
    [{}, 0],
    [{ gracePeriodSeconds: 3600 }, 3600],
    [{ gracePeriodSeconds: 604_800 }, 604_800],
    [{ gracePeriodSeconds: 604_801 }, null],
    [{ gracePeriodSeconds: -1 }, null],
    [{ gracePeriodSeconds: 0.5 }, null],
  ])('%j → %s', (input, expected) => {
    const result = ZRotateTokenInput.safeParse(input);
    expect(result.success ? result.data.gracePeriodSeconds : null).toBe(expected);
  });
});

describe('ZListTokensInput', () => {
  it('defaults the page size to 20, newest first', () => {
    expect(ZListTokensInput.parse({})).toEqual({ limit: 20, sort: 'createdAt', order: 'desc' });
  });

  it.each<[string, Record<string, unknown>]>([
    ['limit 0', { limit: 0 }],
    ['limit 101', { limit: 101 }],
    ['an unknown status', { status: 'deleted' }],
    ['an unknown scope filter', { scope: 'wiki:admin' }],
    ['a 101-character search', { q: 'q'.repeat(101) }],
    ['an unknown sort', { sort: 'prefix' }],
    ['an unknown order', { order: 'ascending' }],
  ])('refuses %s', (_label, input) => {
    expect(ZListTokensInput.safeParse(input).success).toBe(false);
  });

  it('accepts every filter together', () => {
    const input = {
      status: 'revoked',
      type: 'service',
      scope: 'wiki:read',
      q: 'deploy',
      sort: 'lastUsedAt',
      order: 'asc',
      limit: 100,
      cursor: 'abc',
    };
    expect(ZListTokensInput.parse(input)).toEqual(input);
  });
});

describe('ZToken', () => {
  const token = {
    id: newId('token'),
    type: 'personal',
    name: 'CI',
    description: null,
    environment: 'production',
    scopes: ['wiki:read'],
    ipAllowlist: [],
    prefix: 'tgp_01234567',
    status: 'active',
    active: true,
    expiresAt: null,
    revokedAt: null,
    revokedReason: null,
    lastUsedAt: '2030-01-01T00:00:00.000Z',
    lastUsedIp: '203.0.113.7',
    lastUsedIps: [{ ip: '203.0.113.7', lastUsedAt: '2030-01-01T00:00:00.000Z', userAgent: 'curl/8.5.0' }],
    subjectUserId: newId('user'),
    createdByUserId: newId('user'),
    createdAt: '2029-12-01T00:00:00.000Z',
    updatedAt: '2029-12-01T00:00:00.000Z',
  };

  it('has exactly the fields of §3', () => {
    expect(Object.keys(ZToken.shape).sort()).toEqual(Object.keys(token).sort());
    expect(ZToken.parse(token)).toEqual(token);
  });

  it('drops a hash or secret that a careless caller left on the record', () => {
    const parsed = ZToken.parse({ ...token, hash: 'abc', token: 'tgp_secret' });
    expect(parsed).not.toHaveProperty('hash');
    expect(parsed).not.toHaveProperty('token');
  });

  it('revokedReason is one of the four reasons of §3, or null', () => {
    const revoked = { ...token, status: 'revoked', revokedAt: '2030-01-02T00:00:00.000Z' };
    for (const reason of ['manual', 'exposed', 'reuse', 'member_removed']) {
      expect(ZToken.parse({ ...revoked, revokedReason: reason }).revokedReason).toBe(reason);
    }
    expect(ZToken.safeParse({ ...revoked, revokedReason: 'bored' }).success).toBe(false);
  });

  it('requires UTC ISO timestamps', () => {
    expect(ZToken.safeParse({ ...token, createdAt: '2029-12-01T01:00:00+01:00' }).success).toBe(false);
    expect(ZToken.safeParse({ ...token, createdAt: 'yesterday' }).success).toBe(false);
  });

  it('ZTokenWithSecret adds the plain token', () => {
    expect(ZTokenWithSecret.parse({ ...token, token: 'tgp_x' }).token).toBe('tgp_x');
    expect(ZTokenWithSecret.safeParse(token).success).toBe(false);
  });
});

describe('tokenStatus', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  const past = '2029-12-31T00:00:00Z';
  const future = new Date('2030-06-01T00:00:00Z');
  it.each<[string, Parameters<typeof tokenStatus>[0], string]>([
    ['active', { active: true, revokedAt: null, expiresAt: null }, 'active'],
    ['active with a future expiry', { active: true, revokedAt: null, expiresAt: future }, 'active'],
    ['inactive', { active: false, revokedAt: null, expiresAt: future }, 'inactive'],
    ['expired', { active: true, revokedAt: null, expiresAt: past }, 'expired'],
    ['expiring exactly now', { active: true, revokedAt: null, expiresAt: now }, 'expired'],
    ['expired beats inactive', { active: false, revokedAt: null, expiresAt: past }, 'expired'],
    ['revoked beats expired and inactive', { active: false, revokedAt: past, expiresAt: past }, 'revoked'],
    ['revoked while active', { active: true, revokedAt: new Date(past), expiresAt: null }, 'revoked'],
    [
      'an unreadable expiry counts as expired',
      { active: true, revokedAt: null, expiresAt: 'garbage' },
      'expired',
    ],
  ])('%s', (_label, token, expected) => {
    expect(tokenStatus(token, now)).toBe(expected);
  });
});
