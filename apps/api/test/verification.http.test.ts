import type { TestDatabase } from '@tollgate/db/testing';
import { tokenChecksum } from '@tollgate/domain';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../src/routers/root.ts';
import { buildServer } from '../src/server.ts';
import {
  createTestHarness,
  type IssueTokenOptions,
  type SeededOrganization,
  type TestHarness,
} from './helpers/harness.ts';
import { type RunningServer, spawnServer } from './helpers/spawn-server.ts';

const HOUR = 3_600_000;

function clientFor(baseUrl: string, authorization: string | null) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${baseUrl}/trpc`,
        headers: () => (authorization === null ? {} : { authorization }),
      }),
    ],
  });
}

/** What the typed client saw: 'OK', or the §7 code, HTTP status and message of the error. */
async function outcome(
  call: Promise<unknown>,
): Promise<{ appCode: string; httpStatus?: number; message?: string }> {
  try {
    await call;
    return { appCode: 'OK' };
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    const data = error.data as { appCode: string; httpStatus: number };
    return { appCode: data.appCode, httpStatus: data.httpStatus, message: error.message };
  }
}

describe('verification over HTTP with the typed client', () => {
  let h: TestHarness;
  let org: SeededOrganization;
  let app: FastifyInstance;
  let baseUrl: string;

  beforeAll(async () => {
    h = await createTestHarness();
    org = await h.seedOrganization();
    app = await buildServer({ services: h.services });
    baseUrl = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const getOrganization = (authorization: string | null) =>
    clientFor(baseUrl, authorization).organization.get.query();
  const personal = (extra: Partial<IssueTokenOptions> = {}) =>
    h.issueToken({
      organizationId: org.id,
      subjectUserId: org.users.member.id,
      scopes: ['organization:read'],
      ...extra,
    });

  const unknownBody = `tgp_${'q'.repeat(30)}`;

  type Case = [
    label: string,
    appCode: string,
    httpStatus: number | undefined,
    header: () => Promise<string | null>,
  ];
  it.each<Case>([
    ['no Authorization header', 'MISSING_TOKEN', 401, async () => null],
    ['a Basic header', 'MALFORMED_TOKEN', 401, async () => 'Basic dXNlcjpwYXNz'],
    ['a malformed token', 'MALFORMED_TOKEN', 401, async () => 'Bearer tgp_not-a-token'],
    ['a wrong checksum', 'MALFORMED_TOKEN', 401, async () => `Bearer ${unknownBody}000000`],
    [
      'an unknown token',
      'INVALID_TOKEN',
      401,
      async () => `Bearer ${unknownBody}${tokenChecksum(unknownBody)}`,
    ],
    [
      'an inactive token',
      'TOKEN_INACTIVE',
      401,
      async () => `Bearer ${(await personal({ active: false })).token}`,
    ],
    [
      'a revoked token',
      'TOKEN_REVOKED',
      401,
      async () => `Bearer ${(await personal({ revokedAt: new Date() })).token}`,
    ],
    [
      // The test client connects from 127.0.0.1.
      'a token for other addresses',
      'IP_NOT_ALLOWED',
      403,
      async () => `Bearer ${(await personal({ ipAllowlist: ['10.0.0.0/8', '::1'] })).token}`,
    ],
    [
      'a token without the scope',
      'INSUFFICIENT_SCOPE',
      403,
      async () => `Bearer ${(await personal({ scopes: ['team:read'] })).token}`,
    ],
    [
      'a token allowed from this address',
      'OK',
      undefined,
      async () => `Bearer ${(await personal({ ipAllowlist: ['127.0.0.0/8'] })).token}`,
    ],
  ])('%s → %s', async (_label, appCode, httpStatus, header) => {
    const authorization = await header();
    const result = await outcome(getOrganization(authorization));
    expect(result.appCode).toBe(appCode);
    expect(result.httpStatus).toBe(httpStatus);
    if (authorization) expect(result.message ?? '').not.toContain(authorization.slice(7));
  });

  it('TOKEN_EXPIRED once the server clock passes the expiry', async () => {
    const { token } = await personal({ expiresAt: new Date(h.clock.now().getTime() + HOUR) });
    expect((await outcome(getOrganization(`Bearer ${token}`))).appCode).toBe('OK');
    h.clock.advance(HOUR);
    expect(await outcome(getOrganization(`Bearer ${token}`))).toMatchObject({
      appCode: 'TOKEN_EXPIRED',
      httpStatus: 401,
    });
  });

  it('ROLE_NOT_ALLOWED for a role the policy keeps from tokens', async () => {
    const strict = await h.seedOrganization({ policy: { tokenUseRoles: ['owner'] } });
    const { token } = await h.issueToken({
      organizationId: strict.id,
      subjectUserId: strict.users.admin.id,
      scopes: ['organization:read'],
    });
    expect(await outcome(getOrganization(`Bearer ${token}`))).toMatchObject({
      appCode: 'ROLE_NOT_ALLOWED',
      httpStatus: 403,
    });
  });

  it('ROLE_NOT_ALLOWED once the subject is no longer a member', async () => {
    const user = await h.seedUser('member', org.id);
    const { token } = await h.issueToken({
      organizationId: org.id,
      subjectUserId: user.id,
      scopes: ['organization:read'],
    });
    expect((await outcome(getOrganization(`Bearer ${token}`))).appCode).toBe('OK');
    await h.services.db.deleteFrom('memberships').where('userId', '=', user.id).execute();
    await h.services.invalidation.publish({ kind: 'member', organizationId: org.id, userId: user.id });
    expect((await outcome(getOrganization(`Bearer ${token}`))).appCode).toBe('ROLE_NOT_ALLOWED');
  });

  // A second API process on the same PostgreSQL database (PGlite belongs to one process; the two-Services
  // test in verification.procedures.test.ts covers it there).
  describe.runIf(process.env.DATABASE_URL)('a second server process', () => {
    let second: RunningServer;
    beforeAll(async () => {
      const url = (h.database as TestDatabase).url;
      if (!url) throw new Error('the test database has no URL');
      second = await spawnServer({ DATABASE_URL: url });
    }, 60_000);
    afterAll(async () => {
      await second?.stop();
    });

    it('refuses a revoked token within one second', async () => {
      const { token: owner } = await h.issueToken({
        organizationId: org.id,
        subjectUserId: org.users.owner.id,
        scopes: ['tokens:write'],
      });
      const { id, token } = await personal();
      const authorization = `Bearer ${token}`;
      // Warm the second process's cache.
      for (let i = 0; i < 3; i++)
        expect((await outcome(clientFor(second.url, authorization).organization.get.query())).appCode).toBe(
          'OK',
        );

      await clientFor(baseUrl, `Bearer ${owner}`).tokens.revoke.mutate({ id });
      const revokedAt = performance.now();
      let appCode = 'OK';
      while (appCode === 'OK' && performance.now() - revokedAt < 3_000) {
        appCode = (await outcome(clientFor(second.url, authorization).organization.get.query())).appCode;
      }
      const elapsed = performance.now() - revokedAt;
      expect(appCode).toBe('TOKEN_REVOKED');
      expect(elapsed).toBeLessThan(1_000);
    });
  });
});
