import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashToken, newToken } from '@tollgate/domain';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';
import { spawnServer } from './helpers/spawn-server.ts';

/** Leaked tokens (§13): public leak reports and GitHub's secret-scanning partner endpoint, over HTTP. */

function post(
  app: FastifyInstance,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  ip = '203.0.113.7',
) {
  return app.inject({
    method: 'POST',
    url,
    remoteAddress: ip,
    headers: { 'content-type': 'application/json', 'user-agent': 'leak-finder/1.0', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** What the leak-report job does on its next tick, now. */
async function processReports(h: TestHarness): Promise<void> {
  h.services.leakReports.kick();
  await h.services.leakReports.idle();
}

async function liveToken(h: TestHarness, org: SeededOrganization) {
  return h.issueToken({ organizationId: org.id, type: 'service', scopes: ['organization:read'] });
}

async function statusOf(h: TestHarness, token: string) {
  const self = await h
    .callerWithToken(token)
    .tokens.self()
    .then(
      () => 'works',
      (error: { code?: string; cause?: { code?: string } }) => error.cause?.code ?? error.code,
    );
  return self;
}

/** The audit entries and outbox events about one token. */
async function traceOf(h: TestHarness, tokenId: string) {
  const audit = await h.services.db
    .selectFrom('auditLogs')
    .select(['action', 'actorType', 'actorId', 'ip', 'userAgent', 'detail'])
    .where('targetId', '=', tokenId)
    .execute();
  const events = (
    await h.services.db.selectFrom('webhookEvents').select(['type', 'payload']).orderBy('id').execute()
  )
    .filter((event) => (event.payload as { token?: { id?: string } }).token?.id === tokenId)
    // Written in one transaction at one time: in catalogue order for the comparison.
    .sort((a, b) => a.type.localeCompare(b.type));
  return { audit, events };
}

describe('public leak reports: POST /api/v1/credentials/revoke', () => {
  let h: TestHarness;
  let org: SeededOrganization;
  let app: FastifyInstance;

  beforeAll(async () => {
    h = await createTestHarness();
    org = await h.seedOrganization();
    app = await buildServer({ services: h.services });
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('answers 202 with the same body whatever the strings are, then revokes each live token as exposed', async () => {
    const live = await liveToken(h, org);
    const alreadyRevoked = await h.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['organization:read'],
      revokedAt: h.clock.now(),
    });
    const unknown = newToken('service').token;

    const answers = await Promise.all([
      post(app, '/api/v1/credentials/revoke', {
        credentials: [live.token, alreadyRevoked.token, unknown, 'not a token'],
      }),
      post(app, '/api/v1/credentials/revoke', { credentials: [unknown, unknown, 'garbage', 'x'] }),
    ]);
    for (const answer of answers) {
      expect(answer.statusCode).toBe(202);
      expect(answer.json()).toEqual({ received: 4 });
      expect(answer.headers['cache-control']).toBe('no-store');
    }
    expect(answers[0]?.body).toBe(answers[1]?.body);

    await processReports(h);
    expect(await statusOf(h, live.token)).toBe('TOKEN_REVOKED');
    const { audit, events } = await traceOf(h, live.id);
    expect(audit).toEqual([
      {
        action: 'token.revoked',
        actorType: 'system',
        actorId: 'public_report',
        ip: '203.0.113.7',
        userAgent: 'leak-finder/1.0',
        detail: expect.objectContaining({ reason: 'exposed', reportedBy: 'public_report' }),
      },
    ]);
    expect(
      events.map((event) => [event.type, (event.payload as { reason?: string }).reason ?? null]),
    ).toEqual([
      ['token.exposed', null],
      ['token.revoked', 'exposed'],
    ]);
    // The token already revoked gets no second entry; nothing stores a reported string.
    expect((await traceOf(h, alreadyRevoked.id)).audit).toEqual([]);
    const stored = JSON.stringify(await h.services.db.selectFrom('leakReports').selectAll().execute());
    for (const secret of [live.token, unknown, 'not a token', 'garbage'])
      expect(stored).not.toContain(secret);
    expect(stored).toContain(hashToken(live.token));
  });

  it('revokes a previous secret still in its rotation grace too', async () => {
    const token = await liveToken(h, org);
    const admin = h.caller({
      authorization: `Bearer ${(await h.issueToken({ organizationId: org.id, subjectUserId: org.users.owner.id, scopes: ['tokens:read', 'tokens:write', 'organization:read'] })).token}`,
    });
    const rotated = await admin.tokens.rotate({ id: token.id, gracePeriodSeconds: 86_400 });
    expect(await statusOf(h, token.token)).toBe('works');
    await post(app, '/api/v1/credentials/revoke', { credentials: [token.token] });
    await processReports(h);
    expect(await statusOf(h, rotated.token)).toBe('TOKEN_REVOKED');
  });

  it('1,000 credentials in one report: 202 at once, and each live one revoked', async () => {
    const live = await Promise.all(Array.from({ length: 200 }, () => liveToken(h, org)));
    const unknown = Array.from({ length: 800 }, () => newToken('personal').token);
    const started = performance.now();
    const answer = await post(app, '/api/v1/credentials/revoke', {
      credentials: [...live.map((token) => token.token), ...unknown],
    });
    const answeredMs = performance.now() - started;
    expect(answer.statusCode).toBe(202);
    expect(answer.json()).toEqual({ received: 1000 });
    await processReports(h);
    const revokedMs = performance.now() - started;
    const rows = await h.services.db
      .selectFrom('tokens')
      .select(['id', 'revokedAt', 'revokedReason'])
      .where(
        'id',
        'in',
        live.map((token) => token.id),
      )
      .execute();
    expect(rows.filter((row) => row.revokedAt === null || row.revokedReason !== 'exposed')).toEqual([]);
    console.info(
      `leak report of 1,000 credentials: answered in ${answeredMs.toFixed(0)} ms, 200 tokens revoked after ${revokedMs.toFixed(0)} ms`,
    );
  });

  it.each([
    ['an empty list', { credentials: [] }, 'credentials'],
    ['1,001 strings', { credentials: Array.from({ length: 1001 }, () => 'x') }, 'credentials'],
    ['a number among them', { credentials: ['tgs_x', 7] }, 'credentials.1'],
    ['no credentials field', { tokens: ['x'] }, 'credentials'],
  ])('refuses %s with 400 VALIDATION_FAILED', async (_label, body, path) => {
    const answer = await post(app, '/api/v1/credentials/revoke', body);
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: expect.arrayContaining([expect.objectContaining({ path })]),
    });
  });

  it('refuses a body that is not JSON with 400, never a 500', async () => {
    const answer = await post(app, '/api/v1/credentials/revoke', '{"credentials": [');
    expect(answer.statusCode).toBe(400);
    expect(answer.json().code).toBe('VALIDATION_FAILED');
  });

  it('allows 60 reports an hour per client address, then 429 with Retry-After; other addresses go on', async () => {
    const ip = '198.51.100.60';
    for (let i = 0; i < 60; i++) {
      expect((await post(app, '/api/v1/credentials/revoke', { credentials: ['x'] }, {}, ip)).statusCode).toBe(
        202,
      );
    }
    const refused = await post(app, '/api/v1/credentials/revoke', { credentials: ['x'] }, {}, ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3000);
    expect(
      (await post(app, '/api/v1/credentials/revoke', { credentials: ['x'] }, {}, '198.51.100.61')).statusCode,
    ).toBe(202);
  });

  it('is the tRPC procedure credentials.revoke too, without authentication', async () => {
    const token = await liveToken(h, org);
    await expect(
      h.caller({ ip: '192.0.2.1' }).credentials.revoke({ credentials: [token.token] }),
    ).resolves.toEqual({ received: 1 });
    await processReports(h);
    expect(await statusOf(h, token.token)).toBe('TOKEN_REVOKED');
  });
});

/** A key pair in GitHub's format: the public key as GitHub publishes it, the private one to sign reports. */
function githubKey(id: string): {
  id: string;
  privateKey: KeyObject;
  published: { key_identifier: string; key: string; is_current: boolean };
} {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    id,
    privateKey,
    published: {
      key_identifier: id,
      key: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      is_current: true,
    },
  };
}

/** GitHub's headers for a report body: the key id and the base64 DER ECDSA-SHA256 signature of the exact bytes. */
function signedBy(key: ReturnType<typeof githubKey>, body: string): Record<string, string> {
  return {
    'Github-Public-Key-Identifier': key.id,
    'Github-Public-Key-Signature': sign('sha256', Buffer.from(body), {
      key: key.privateKey,
      dsaEncoding: 'der',
    }).toString('base64'),
  };
}

describe('GitHub secret scanning: POST /api/v1/secret-scanning/github', () => {
  let h: TestHarness;
  let org: SeededOrganization;
  let app: FastifyInstance;
  let keyServer: Server;
  let served: { public_keys: unknown[] };
  let fetches = 0;
  const current = githubKey('90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a');
  const next = githubKey('f9525bf080f75b3506ca1ead061add62b8633a346606dc5fe544e29231c6ee0d');
  const stranger = githubKey('0000000000000000000000000000000000000000000000000000000000000000');

  beforeAll(async () => {
    served = { public_keys: [current.published] };
    keyServer = createServer((_request, response) => {
      fetches++;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
    const { port } = keyServer.address() as AddressInfo;
    h = await createTestHarness({
      env: { GITHUB_SECRET_SCANNING_KEYS: `http://127.0.0.1:${port}/meta/public_keys/secret_scanning` },
    });
    org = await h.seedOrganization();
    app = await buildServer({ services: h.services });
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
    keyServer?.close();
  });

  it('a signed report: revokes the live token with where it was found, and labels each match', async () => {
    const live = await liveToken(h, org);
    const unknown = newToken('service').token;
    const body = JSON.stringify([
      {
        token: live.token,
        type: 'tollgate_service_token',
        url: 'https://github.com/octo/repo/blob/abc/.env',
        source: 'content',
      },
      {
        token: unknown,
        type: 'tollgate_service_token',
        url: 'https://github.com/octo/repo/blob/abc/x',
        source: 'content',
      },
      { token: 'tgs_not_a_token', type: 'tollgate_service_token', source: 'commit' },
    ]);
    const answer = await post(
      app,
      '/api/v1/secret-scanning/github',
      body,
      signedBy(current, body),
      '140.82.112.1',
    );
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual([
      { token_hash: hashToken(live.token), token_type: 'tollgate_service_token', label: 'true_positive' },
      { token_hash: hashToken(unknown), token_type: 'tollgate_service_token', label: 'false_positive' },
      {
        token_hash: hashToken('tgs_not_a_token'),
        token_type: 'tollgate_service_token',
        label: 'false_positive',
      },
    ]);
    expect(await statusOf(h, live.token)).toBe('TOKEN_REVOKED');
    const { audit, events } = await traceOf(h, live.id);
    const where = {
      reportedBy: 'github_secret_scanning',
      url: 'https://github.com/octo/repo/blob/abc/.env',
      source: 'content',
    };
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'token.revoked',
        actorType: 'system',
        actorId: 'github_secret_scanning',
        ip: '140.82.112.1',
        detail: expect.objectContaining({ reason: 'exposed', ...where }),
      }),
    ]);
    expect(events).toEqual([
      { type: 'token.exposed', payload: expect.objectContaining(where) },
      { type: 'token.revoked', payload: expect.objectContaining({ reason: 'exposed' }) },
    ]);

    // Reported again: still ours (true_positive), nothing revoked twice.
    const again = await post(app, '/api/v1/secret-scanning/github', body, signedBy(current, body));
    expect(again.json()[0].label).toBe('true_positive');
    expect((await traceOf(h, live.id)).audit).toHaveLength(1);
  });

  it.each([
    [
      'signed by another key under a published id',
      (body: string) => ({ ...signedBy(stranger, body), 'Github-Public-Key-Identifier': current.id }),
    ],
    ['an unknown key id', (body: string) => signedBy(stranger, body)],
    ['a signature of other bytes', (body: string) => signedBy(current, `${body} `)],
    [
      'a signature that is not base64 DER',
      () => ({
        'Github-Public-Key-Identifier': current.id,
        'Github-Public-Key-Signature': 'bm90IGEgc2lnbmF0dXJl',
      }),
    ],
    ['no signature headers', () => ({})],
  ])('refuses a report %s with 401, and revokes nothing', async (_label, headersFor) => {
    const live = await liveToken(h, org);
    const body = JSON.stringify([{ token: live.token, type: 'tollgate_service_token' }]);
    const answer = await post(
      app,
      '/api/v1/secret-scanning/github',
      body,
      headersFor(body) as Record<string, string>,
    );
    expect(answer.statusCode).toBe(401);
    expect(answer.json().code).toBe('INVALID_TOKEN');
    expect(await statusOf(h, live.token)).toBe('works');
  });

  it('refuses a well-signed body that is not a report with 400', async () => {
    const body = JSON.stringify({ token: 'x' });
    const answer = await post(app, '/api/v1/secret-scanning/github', body, signedBy(current, body));
    expect(answer.statusCode).toBe(400);
    expect(answer.json().code).toBe('VALIDATION_FAILED');
  });

  it('a key rotated in at GitHub: an unknown key id reads the keys again (once a minute at most)', async () => {
    served = { public_keys: [current.published, next.published] };
    h.clock.advance(61_000);
    const live = await liveToken(h, org);
    const body = JSON.stringify([{ token: live.token, type: 'tollgate_service_token' }]);
    const before = fetches;
    const answer = await post(app, '/api/v1/secret-scanning/github', body, signedBy(next, body));
    expect(answer.statusCode).toBe(200);
    expect(fetches).toBe(before + 1);
    // Made-up key ids right after do not make the server fetch again.
    for (let i = 0; i < 3; i++) {
      expect(
        (await post(app, '/api/v1/secret-scanning/github', body, signedBy(stranger, body))).statusCode,
      ).toBe(401);
    }
    expect(fetches).toBe(before + 1);
  });
});

describe('GitHub secret scanning with keys from a file, and switched off', () => {
  it('reads the keys from GITHUB_SECRET_SCANNING_KEYS=<file>; without it the endpoint is 404', async () => {
    const key = githubKey('file-key');
    const file = join(tmpdir(), `tollgate-github-keys-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ public_keys: [key.published] }));
    const h = await createTestHarness({ env: { GITHUB_SECRET_SCANNING_KEYS: file } });
    const off = await createTestHarness();
    try {
      const org = await h.seedOrganization();
      const app = await buildServer({ services: h.services });
      const offApp = await buildServer({ services: off.services });
      const live = await liveToken(h, org);
      const body = JSON.stringify([{ token: live.token, type: 'tollgate_service_token' }]);
      const answer = await post(app, '/api/v1/secret-scanning/github', body, signedBy(key, body));
      expect(answer.json()).toEqual([expect.objectContaining({ label: 'true_positive' })]);
      const disabled = await post(offApp, '/api/v1/secret-scanning/github', body, signedBy(key, body));
      expect(disabled.statusCode).toBe(404);
      expect(disabled.json().code).toBe('NOT_FOUND');
      await app.close();
      await offApp.close();
    } finally {
      await h.close();
      await off.close();
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL)('a public report reaches every process', () => {
  it('another API process on the same database refuses the reported token within about a second', async () => {
    const h = await createTestHarness();
    const app = await buildServer({ services: h.services });
    const other = await spawnServer(
      { DATABASE_URL: h.databaseUrl ?? '', REDIS_URL: process.env.REDIS_URL },
      120_000,
    );
    try {
      const org = await h.seedOrganization();
      const token = await liveToken(h, org);
      const self = () =>
        fetch(`${other.url}/api/v1/tokens/self`, { headers: { authorization: `Bearer ${token.token}` } });
      // The other process has the token in its cache.
      expect((await self()).status).toBe(200);
      expect((await self()).status).toBe(200);

      const started = performance.now();
      expect((await post(app, '/api/v1/credentials/revoke', { credentials: [token.token] })).statusCode).toBe(
        202,
      );
      let refusedAfterMs = Number.NaN;
      while (performance.now() - started < 10_000) {
        const answer = await self();
        if (answer.status === 401) {
          refusedAfterMs = performance.now() - started;
          expect(((await answer.json()) as { code: string }).code).toBe('TOKEN_REVOKED');
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      console.info(`public report → refused by another process after ${refusedAfterMs.toFixed(0)} ms`);
      expect(refusedAfterMs).toBeLessThan(5_000);
    } finally {
      await other.stop();
      await app.close();
      await h.close();
    }
  }, 180_000);
});
