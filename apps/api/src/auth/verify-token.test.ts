import { jsonb } from '@tollgate/db';
import { DEFAULT_POLICY, type ErrorCode, isTollgateError, type Scope, tokenChecksum } from '@tollgate/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestHarness,
  type IssueTokenOptions,
  type SeededOrganization,
  type TestHarness,
} from '../../test/helpers/harness.ts';
import { verifyToken } from './verify-token.ts';

const DAY = 86_400_000;

/** The error a verification fails with (the test fails if it succeeds). */
async function errorOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the verification to fail');
  return error;
}

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | 'OK'> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (isTollgateError(error)) return error.code;
    throw error;
  }
}

describe('verifyToken', () => {
  let h: TestHarness;
  let org: SeededOrganization;

  beforeAll(async () => {
    h = await createTestHarness();
    org = await h.seedOrganization();
  });
  afterAll(async () => {
    await h.close();
  });

  const verify = (authorization: string | null, opts: { ip?: string; scope?: Scope | null } = {}) =>
    verifyToken(h.services, {
      authorization,
      ip: opts.ip ?? '203.0.113.7',
      requiredScope: opts.scope === undefined ? 'wiki:read' : opts.scope,
    }).then((verified) => verified.token.principal);

  const issue = (opts: Partial<Parameters<TestHarness['issueToken']>[0]> = {}) =>
    h.issueToken({
      organizationId: org.id,
      subjectUserId: org.users.member.id,
      scopes: ['wiki:read', 'wiki:write'],
      ...opts,
    });

  /** A token that parses and has a valid checksum but was never issued. */
  function unknownToken(): string {
    const body = `tgp_${'a'.repeat(30)}`;
    return body + tokenChecksum(body);
  }

  it('returns the principal with the effective scopes of a valid token', async () => {
    const { id, token } = await issue({ scopes: ['wiki:write', 'billing:write', 'audit:read'] });
    const principal = await verify(`Bearer ${token}`);
    expect(principal).toMatchObject({
      kind: 'token',
      tokenId: id,
      tokenType: 'personal',
      organizationId: org.id,
      userId: org.users.member.id,
      role: 'member',
    });
    // billing:write and audit:read are beyond a member's ceiling; the implied reads stay where allowed.
    expect([...principal.scopes]).toEqual(['billing:read', 'wiki:read', 'wiki:write']);
  });

  it('accepts any valid token when the procedure requires no particular scope', async () => {
    const { token } = await issue({ scopes: ['wiki:read'] });
    expect(await codeOf(verify(`Bearer ${token}`, { scope: null }))).toBe('OK');
  });

  describe.each([
    ['no header', null, 'MISSING_TOKEN'],
    ['an empty header', '', 'MISSING_TOKEN'],
    ['a blank header', '   ', 'MISSING_TOKEN'],
    ['another scheme', 'Basic dXNlcjpwYXNz', 'MALFORMED_TOKEN'],
    ['Bearer without a token', 'Bearer ', 'MALFORMED_TOKEN'],
    ['a token that is not ours', 'Bearer ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'MALFORMED_TOKEN'],
    ['a truncated token', `Bearer tgp_${'a'.repeat(30)}`, 'MALFORMED_TOKEN'],
  ] as const)('header with %s', (_label, header, code) => {
    it(`is refused with ${code}`, async () => {
      expect(await codeOf(verify(header))).toBe(code);
    });
  });

  it('refuses a token with a wrong checksum as MALFORMED_TOKEN without asking the database', async () => {
    const { token } = await issue();
    const last = token.at(-1) === 'a' ? 'b' : 'a';
    const mistyped = token.slice(0, -1) + last;
    const error = await errorOf(verify(`Bearer ${mistyped}`));
    expect(error.code).toBe('MALFORMED_TOKEN');
    expect(error.message).toMatch(/checksum/);
    expect(error.message).not.toContain(mistyped);
  });

  it('refuses a well-formed token nobody issued with INVALID_TOKEN', async () => {
    expect(await codeOf(verify(`Bearer ${unknownToken()}`))).toBe('INVALID_TOKEN');
  });

  it('accepts the scheme name in any case', async () => {
    const { token } = await issue();
    expect(await codeOf(verify(`bearer ${token}`))).toBe('OK');
  });

  it.each([
    ['revoked', { revokedAt: new Date() }, 'TOKEN_REVOKED'],
    ['inactive', { active: false }, 'TOKEN_INACTIVE'],
    ['past its expiry', { expiresAt: new Date(Date.now() - 1_000) }, 'TOKEN_EXPIRED'],
    ['outside its IPv4 allowlist', { ipAllowlist: ['198.51.100.7'] }, 'IP_NOT_ALLOWED'],
    ['without the required scope', { scopes: ['billing:read'] }, 'INSUFFICIENT_SCOPE'],
  ] satisfies [string, Partial<IssueTokenOptions>, ErrorCode][])(
    'refuses a token %s with %s',
    async (_label, overrides, code) => {
      const { token } = await issue(overrides);
      expect(await codeOf(verify(`Bearer ${token}`))).toBe(code);
    },
  );

  it('names the missing scope and never echoes the token', async () => {
    const { token } = await issue({ scopes: ['wiki:read'] });
    const error = await errorOf(verify(`Bearer ${token}`, { scope: 'wiki:write' }));
    expect(error).toMatchObject({ code: 'INSUFFICIENT_SCOPE' });
    expect(error.message).toContain('wiki:write');
    expect(error.message).not.toContain(token);
  });

  it('expires a token when the clock passes its expiry, to the millisecond', async () => {
    const expiresAt = new Date(h.clock.now().getTime() + DAY);
    const { token } = await issue({ expiresAt });
    expect(await codeOf(verify(`Bearer ${token}`))).toBe('OK');
    h.clock.set(new Date(expiresAt.getTime() - 1));
    expect(await codeOf(verify(`Bearer ${token}`))).toBe('OK');
    h.clock.set(expiresAt);
    expect(await codeOf(verify(`Bearer ${token}`))).toBe('TOKEN_EXPIRED');
  });

  describe('IP allowlists', () => {
    it.each([
      ['an IPv4 address', ['203.0.113.7'], '203.0.113.7', 'OK'],
      ['another IPv4 address', ['203.0.113.7'], '203.0.113.8', 'IP_NOT_ALLOWED'],
      ['an IPv4 CIDR range', ['203.0.113.0/24'], '203.0.113.200', 'OK'],
      ['outside an IPv4 CIDR range', ['203.0.113.0/24'], '203.0.114.1', 'IP_NOT_ALLOWED'],
      ['an IPv4 client seen through a dual-stack socket', ['203.0.113.0/24'], '::ffff:203.0.113.9', 'OK'],
      ['an IPv6 address', ['2001:db8::1'], '2001:db8:0:0:0:0:0:1', 'OK'],
      ['an IPv6 CIDR range', ['2001:db8::/32'], '2001:db8:ffff::1', 'OK'],
      ['outside an IPv6 CIDR range', ['2001:db8::/32'], '2001:db9::1', 'IP_NOT_ALLOWED'],
      ['an IPv6 client against an IPv4 list', ['0.0.0.0/0'], '2001:db8::1', 'IP_NOT_ALLOWED'],
      ['several entries', ['10.0.0.0/8', '2001:db8::/32'], '2001:db8::5', 'OK'],
    ] as const)('%s', async (_label, ipAllowlist, ip, code) => {
      const { token } = await issue({ ipAllowlist: [...ipAllowlist] });
      expect(await codeOf(verify(`Bearer ${token}`, { ip }))).toBe(code);
    });

    it("intersects the token's list with the organisation's allowed ranges", async () => {
      const fenced = await h.seedOrganization({ policy: { allowedIpRanges: ['10.0.0.0/8'] } });
      const open = await h.issueToken({ organizationId: fenced.id, type: 'service', scopes: ['wiki:read'] });
      const narrow = await h.issueToken({
        organizationId: fenced.id,
        type: 'service',
        scopes: ['wiki:read'],
        ipAllowlist: ['10.1.0.0/16', '192.0.2.1'],
      });
      expect(await codeOf(verify(`Bearer ${open.token}`, { ip: '10.9.9.9' }))).toBe('OK');
      expect(await codeOf(verify(`Bearer ${open.token}`, { ip: '192.0.2.1' }))).toBe('IP_NOT_ALLOWED');
      expect(await codeOf(verify(`Bearer ${narrow.token}`, { ip: '10.1.2.3' }))).toBe('OK');
      expect(await codeOf(verify(`Bearer ${narrow.token}`, { ip: '10.2.0.1' }))).toBe('IP_NOT_ALLOWED');
      // Allowed by the token, not by the organisation.
      expect(await codeOf(verify(`Bearer ${narrow.token}`, { ip: '192.0.2.1' }))).toBe('IP_NOT_ALLOWED');
    });
  });

  describe('roles', () => {
    it('refuses a personal token whose role the policy does not let use tokens', async () => {
      const strict = await h.seedOrganization({ policy: { tokenUseRoles: ['owner', 'admin'] } });
      const issueFor = (userId: string) =>
        h.issueToken({ organizationId: strict.id, subjectUserId: userId, scopes: ['wiki:read'] });
      const admin = await issueFor(strict.users.admin.id);
      const member = await issueFor(strict.users.member.id);
      const service = await h.issueToken({
        organizationId: strict.id,
        type: 'service',
        scopes: ['wiki:read'],
      });
      expect(await codeOf(verify(`Bearer ${admin.token}`))).toBe('OK');
      const refusal = await errorOf(verify(`Bearer ${member.token}`));
      expect(refusal).toMatchObject({ code: 'ROLE_NOT_ALLOWED' });
      expect(refusal.message).toContain('member');
      // Service tokens belong to the organisation, not to a role.
      expect(await codeOf(verify(`Bearer ${service.token}`))).toBe('OK');
    });

    it('honours a policy change at once, once it is published', async () => {
      const changing = await h.seedOrganization();
      const { token } = await h.issueToken({
        organizationId: changing.id,
        subjectUserId: changing.users.viewer.id,
        scopes: ['wiki:read'],
      });
      expect(await codeOf(verify(`Bearer ${token}`))).toBe('OK');
      await h.services.db
        .updateTable('organizations')
        .set({ policy: jsonb({ ...DEFAULT_POLICY, tokenUseRoles: ['owner', 'admin', 'member'] }) })
        .where('id', '=', changing.id)
        .execute();
      await h.services.invalidation.publish({ kind: 'organization', organizationId: changing.id });
      expect(await codeOf(verify(`Bearer ${token}`))).toBe('ROLE_NOT_ALLOWED');
    });
  });

  describe('the order of the checks (§3)', () => {
    it.each([
      [
        'revoked beats inactive, expired, IP and scope',
        { revokedAt: new Date(), active: false },
        'TOKEN_REVOKED',
      ],
      ['inactive beats expired, IP and scope', { active: false }, 'TOKEN_INACTIVE'],
      ['expired beats IP and scope', {}, 'TOKEN_EXPIRED'],
    ] as const)('%s', async (_label, overrides, code) => {
      const { token } = await issue({
        expiresAt: new Date(h.clock.now().getTime() - 1),
        ipAllowlist: ['198.51.100.1'],
        scopes: ['billing:read'],
        ...overrides,
      });
      expect(await codeOf(verify(`Bearer ${token}`))).toBe(code);
    });

    it('role beats IP and scope', async () => {
      const strict = await h.seedOrganization({ policy: { tokenUseRoles: ['owner'] } });
      const { token } = await h.issueToken({
        organizationId: strict.id,
        subjectUserId: strict.users.viewer.id,
        scopes: ['billing:read'],
        ipAllowlist: ['198.51.100.1'],
      });
      expect(await codeOf(verify(`Bearer ${token}`))).toBe('ROLE_NOT_ALLOWED');
    });

    it('IP beats scope', async () => {
      const { token } = await issue({ ipAllowlist: ['198.51.100.1'], scopes: ['billing:read'] });
      expect(await codeOf(verify(`Bearer ${token}`))).toBe('IP_NOT_ALLOWED');
    });
  });

  it('counts successful requests in memory only', async () => {
    const { id, token } = await issue();
    const before = h.services.usage.pendingTokens;
    await verify(`Bearer ${token}`, { ip: '198.51.100.23' });
    await verify(`Bearer ${token}`, { ip: '198.51.100.23' });
    expect(h.services.usage.pendingTokens).toBe(before + 1);
    const stored = await h.services.db
      .selectFrom('tokens')
      .select('lastUsedAt')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.lastUsedAt).toBeNull();
    await h.services.usage.flush();
    const flushed = await h.services.db
      .selectFrom('tokens as t')
      .innerJoin('tokenUsageDaily as u', 'u.tokenId', 't.id')
      .select(['t.lastUsedIp', 'u.requestCount'])
      .where('t.id', '=', id)
      .executeTakeFirstOrThrow();
    expect(flushed).toEqual({ lastUsedIp: '198.51.100.23', requestCount: 2 });
  });
});
