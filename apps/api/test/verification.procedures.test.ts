import { isTollgateError, type Scope, tokenChecksum } from '@tollgate/domain';
import { TRPCError } from '@trpc/server';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src/routers/root.ts';
import { createServices } from '../src/services.ts';
import { createContextInner } from '../src/trpc/context.ts';
import { createCallerFactory } from '../src/trpc/init.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';
import { createQueryCounter } from './helpers/query-counter.ts';

const HOUR = 3_600_000;

/** The §7 code a call failed with, or 'OK'. */
async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'OK';
  } catch (error) {
    const cause = error instanceof TRPCError ? error.cause : error;
    if (isTollgateError(cause)) return cause.code;
    throw error;
  }
}

describe('verification through the procedures', () => {
  let h: TestHarness;
  let org: SeededOrganization;

  beforeAll(async () => {
    h = await createTestHarness();
    org = await h.seedOrganization();
  });
  afterAll(async () => {
    await h.close();
  });

  /** organization.get requires organization:read. */
  const getOrganization = (token: string, ip = '203.0.113.7') =>
    h.callerWithToken(token, { ip }).organization.get();
  /** members.list requires team:read. */
  const listMembers = (token: string) => h.callerWithToken(token).members.list();

  const personal = (scopes: Scope[] = ['organization:read', 'team:read'], extra = {}) =>
    h.issueToken({ organizationId: org.id, subjectUserId: org.users.member.id, scopes, ...extra });

  describe('each failure has its own code', () => {
    it('MISSING_TOKEN without credentials', async () => {
      expect(await codeOf(h.caller().organization.get())).toBe('MISSING_TOKEN');
    });

    it.each([
      ['a non-Bearer header', 'Token abc'],
      ['a malformed token', 'Bearer tgp_short'],
      ['a bad checksum', `Bearer tgp_${'a'.repeat(30)}AAAAAA`],
    ])('MALFORMED_TOKEN for %s', async (_label, authorization) => {
      expect(await codeOf(h.caller({ authorization }).organization.get())).toBe('MALFORMED_TOKEN');
    });

    it('INVALID_TOKEN for a well-formed token nobody issued', async () => {
      const body = `tgs_${'Z'.repeat(30)}`;
      expect(await codeOf(getOrganization(body + tokenChecksum(body)))).toBe('INVALID_TOKEN');
    });

    it('TOKEN_EXPIRED once the clock passes the expiry', async () => {
      const { token } = await personal(undefined, { expiresAt: new Date(h.clock.now().getTime() + HOUR) });
      expect(await codeOf(getOrganization(token))).toBe('OK');
      h.clock.advance(HOUR);
      expect(await codeOf(getOrganization(token))).toBe('TOKEN_EXPIRED');
    });

    it.each([
      ['TOKEN_INACTIVE', { active: false }],
      ['TOKEN_REVOKED', { revokedAt: new Date() }],
      ['IP_NOT_ALLOWED', { ipAllowlist: ['198.51.100.0/24'] }],
    ] as const)('%s', async (code, extra) => {
      const { token } = await personal(undefined, extra);
      expect(await codeOf(getOrganization(token))).toBe(code);
    });

    it('ROLE_NOT_ALLOWED when the policy does not let the role use tokens', async () => {
      const strict = await h.seedOrganization({ policy: { tokenUseRoles: ['owner', 'admin'] } });
      const { token } = await h.issueToken({
        organizationId: strict.id,
        subjectUserId: strict.users.member.id,
        scopes: ['organization:read'],
      });
      expect(await codeOf(getOrganization(token))).toBe('ROLE_NOT_ALLOWED');
    });

    it('INSUFFICIENT_SCOPE naming the missing scope', async () => {
      const { token } = await personal(['organization:read']);
      const error = await listMembers(token).catch((e: unknown) => e as TRPCError);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).cause).toMatchObject({ code: 'INSUFFICIENT_SCOPE' });
      expect((error as TRPCError).message).toContain('team:read');
    });

    it('the first failing check decides: a revoked token from a disallowed IP is TOKEN_REVOKED', async () => {
      const { token } = await personal(['billing:read'], {
        revokedAt: new Date(),
        ipAllowlist: ['198.51.100.1'],
      });
      expect(await codeOf(getOrganization(token, '192.0.2.1'))).toBe('TOKEN_REVOKED');
    });

    it.each([
      ['IPv4 address', ['203.0.113.7'], '203.0.113.7', 'OK'],
      ['IPv4 CIDR', ['203.0.113.0/24'], '203.0.113.99', 'OK'],
      ['IPv4 outside the range', ['203.0.113.0/24'], '203.0.112.255', 'IP_NOT_ALLOWED'],
      ['IPv6 address', ['2001:db8::7'], '2001:db8::7', 'OK'],
      ['IPv6 CIDR', ['2001:db8:abcd::/48'], '2001:db8:abcd:1::1', 'OK'],
      ['IPv6 outside the range', ['2001:db8:abcd::/48'], '2001:db8:abce::1', 'IP_NOT_ALLOWED'],
    ])('IP allowlist, %s', async (_label, ipAllowlist, ip, code) => {
      const { token } = await personal(undefined, { ipAllowlist });
      expect(await codeOf(getOrganization(token, ip))).toBe(code);
    });
  });

  describe('changes take effect at once', () => {
    let owner: string;
    beforeAll(async () => {
      ({ token: owner } = await h.issueToken({
        organizationId: org.id,
        subjectUserId: org.users.owner.id,
        scopes: ['team:write', 'tokens:write', 'organization:read'],
      }));
    });

    it('rotation with a grace period: both secrets work until it ends, then only the new one', async () => {
      const { id, token: old } = await personal();
      expect(await codeOf(getOrganization(old))).toBe('OK'); // cached before the rotation
      const rotated = await h.callerWithToken(owner).tokens.rotate({ id, gracePeriodSeconds: 3_600 });
      expect(await codeOf(getOrganization(old))).toBe('OK');
      expect(await codeOf(getOrganization(rotated.token))).toBe('OK');
      h.clock.advance(HOUR - 1);
      expect(await codeOf(getOrganization(old))).toBe('OK');
      h.clock.advance(1);
      expect(await codeOf(getOrganization(old))).toBe('INVALID_TOKEN');
      expect(await codeOf(getOrganization(rotated.token))).toBe('OK');
    });

    it('rotation without a grace period refuses the old secret at once', async () => {
      const { id, token: old } = await personal();
      expect(await codeOf(getOrganization(old))).toBe('OK');
      const rotated = await h.callerWithToken(owner).tokens.rotate({ id });
      expect(await codeOf(getOrganization(old))).toBe('INVALID_TOKEN');
      expect(await codeOf(getOrganization(rotated.token))).toBe('OK');
    });

    it('revocation through the procedure is refused on the next request', async () => {
      const { id, token } = await personal();
      expect(await codeOf(getOrganization(token))).toBe('OK');
      await h.callerWithToken(owner).tokens.revoke({ id });
      expect(await codeOf(getOrganization(token))).toBe('TOKEN_REVOKED');
    });

    it('a role downgrade narrows a personal token at once', async () => {
      const user = await h.seedUser('admin', org.id);
      const { token } = await h.issueToken({
        organizationId: org.id,
        subjectUserId: user.id,
        scopes: ['audit:read', 'team:read', 'organization:read'],
      });
      expect(await codeOf(h.callerWithToken(token).audit.list({}))).toBe('OK');
      await h.callerWithToken(owner).members.changeRole({ userId: user.id, role: 'viewer' });
      // audit:read is beyond a viewer's ceiling; team:read is not.
      expect(await codeOf(h.callerWithToken(token).audit.list({}))).toBe('INSUFFICIENT_SCOPE');
      expect(await codeOf(listMembers(token))).toBe('OK');
    });

    it('removing a member stops their personal tokens at once, not service tokens', async () => {
      const user = await h.seedUser('member', org.id);
      const { token } = await h.issueToken({
        organizationId: org.id,
        subjectUserId: user.id,
        scopes: ['organization:read'],
      });
      const service = await h.issueToken({
        organizationId: org.id,
        type: 'service',
        scopes: ['organization:read'],
      });
      expect(await codeOf(getOrganization(token))).toBe('OK');
      expect(await codeOf(getOrganization(service.token))).toBe('OK');
      await h.callerWithToken(owner).members.remove({ userId: user.id });
      expect(await codeOf(getOrganization(token))).toBe('ROLE_NOT_ALLOWED');
      expect(await codeOf(getOrganization(service.token))).toBe('OK');
    });

    it('a revocation in one process reaches another process on the same database', async () => {
      const other = createServices({
        env: h.env,
        database: h.database,
        log: pino({ level: 'silent' }),
        clock: h.clock,
        usageFlushIntervalMs: 60_000,
      });
      await other.start();
      try {
        const otherCaller = (token: string) =>
          createCallerFactory(appRouter)(
            createContextInner({ services: other, request: { authorization: `Bearer ${token}` } }),
          );
        const { id, token } = await personal();
        expect(await codeOf(otherCaller(token).organization.get())).toBe('OK'); // warm in the other process
        const revokedAt = Date.now();
        await h.callerWithToken(owner).tokens.revoke({ id });
        let code = 'OK';
        while (code === 'OK' && Date.now() - revokedAt < 2_000) {
          code = await codeOf(otherCaller(token).organization.get());
          if (code === 'OK') await new Promise((resolve) => setTimeout(resolve, 10));
        }
        expect(code).toBe('TOKEN_REVOKED');
        expect(Date.now() - revokedAt).toBeLessThan(1_000);
      } finally {
        await other.stop();
      }
    });
  });
});

describe('no database write per request', () => {
  const counter = createQueryCounter();
  let h: TestHarness;

  beforeAll(async () => {
    h = await createTestHarness({ wrapDatabase: (d) => ({ ...d, db: d.db.withPlugin(counter.plugin) }) });
  });
  afterAll(async () => {
    await h.close();
  });

  it('1,000 verified calls of one token write nothing until the flush, which writes one statement, and read twice', async () => {
    const org = await h.seedOrganization();
    const { id, token } = await h.issueToken({
      organizationId: org.id,
      subjectUserId: org.users.viewer.id,
      scopes: ['organization:read'],
    });
    await h.services.usage.flush();
    counter.reset();
    for (let i = 0; i < 1_000; i++) await h.callerWithToken(token).organization.get();
    expect(counter.writes()).toBe(0);
    // Verification read the token once and organization.get the organisation once: every later call is
    // answered from the token and organisation caches.
    expect(counter.counts.select).toBe(2);
    counter.reset();
    await h.callerWithToken(token).organization.get();
    expect(counter.total()).toBe(0);

    counter.reset();
    await h.services.usage.flush();
    expect(counter.writes()).toBe(1);
    const usage = await h.services.db
      .selectFrom('tokenUsageDaily')
      .select('requestCount')
      .where('tokenId', '=', id)
      .executeTakeFirstOrThrow();
    expect(usage.requestCount).toBe(1_001);
  });

  it('a flush of many tokens is still one statement', async () => {
    const org = await h.seedOrganization();
    const tokens = [];
    for (let i = 0; i < 20; i++) {
      tokens.push(
        await h.issueToken({ organizationId: org.id, type: 'service', scopes: ['organization:read'] }),
      );
    }
    for (const { token } of tokens) await h.callerWithToken(token).organization.get();
    counter.reset();
    await h.services.usage.flush();
    expect(counter.writes()).toBe(1);
    const used = await h.services.db
      .selectFrom('tokens')
      .select('id')
      .where('organizationId', '=', org.id)
      .where('lastUsedAt', 'is not', null)
      .execute();
    expect(used).toHaveLength(20);
  });
});
