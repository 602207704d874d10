import { get as httpGet } from 'node:http';
import type { DatabaseHandle } from '@tollgate/db';
import { MAX_INTEGER_COLUMN, newToken, SCOPE_NAMES } from '@tollgate/domain';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server.ts';
import { createServices, type ServicesRuntime } from '../src/services.ts';
import { LONE_SURROGATE_MESSAGE } from '../src/trpc/nul-character.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';
import { createQueryCounter } from './helpers/query-counter.ts';
import { failureOf } from './helpers/sessions.ts';

/**
 * Bad input of issue 12 §5, tried over HTTP as a client would: integers beyond their column, lone
 * surrogates, malformed tokens (no database statement), repeated Authorization headers, and a change whose
 * invalidation NOTIFY fails after the commit. Never a 500.
 */

let h: TestHarness;
let app: FastifyInstance;
let org: SeededOrganization;
let token: string;
/** While true, every NOTIFY (the cross-process cache invalidation) fails, as when the database just went away. */
let failNotify = false;

beforeAll(async () => {
  h = await createTestHarness({
    wrapDatabase: (database) => ({
      ...database,
      notify: async (channel, payload) => {
        if (failNotify) throw new Error('NOTIFY failed: connection terminated');
        await database.notify(channel, payload);
      },
    }),
  });
  app = await buildServer({ services: h.services, webDist: '/nonexistent' });
  org = await h.seedOrganization({ tier: 'enterprise' });
  token = (
    await h.issueToken({
      organizationId: org.id,
      type: 'personal',
      subjectUserId: org.users.owner.id,
      scopes: [...SCOPE_NAMES],
    })
  ).token;
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A REST call with the full-scope token; `body` is sent as raw JSON text when it is a string. */
function call(method: Method, url: string, body?: string | object) {
  return app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

async function created(method: Method, url: string, body: object): Promise<{ id: string }> {
  const response = await call(method, url, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

/** Every schema object of the requests the document describes: parameters and JSON bodies. */
function requestSchemas(document: { paths: Record<string, Record<string, unknown>> }): unknown[] {
  const roots: unknown[] = [];
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations) as {
      parameters?: { schema?: unknown }[];
      requestBody?: { content?: Record<string, { schema?: unknown }> };
    }[]) {
      for (const parameter of operation.parameters ?? []) roots.push(parameter.schema);
      for (const media of Object.values(operation.requestBody?.content ?? {})) roots.push(media.schema);
    }
  }
  return roots;
}

function numericNodes(root: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    const record = node as Record<string, unknown>;
    const types = Array.isArray(record.type) ? record.type : [record.type];
    if (types.includes('integer') || types.includes('number')) found.push(record);
    stack.push(...Object.values(record));
  }
  return found;
}

describe('integers beyond their column', () => {
  it('the OpenAPI document bounds every numeric input by what a PostgreSQL integer holds', async () => {
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const numbers = requestSchemas(document).flatMap(numericNodes);
    expect(numbers.length).toBeGreaterThan(10);
    const unbounded = numbers.filter(
      (node) => typeof node.maximum !== 'number' || node.maximum > MAX_INTEGER_COLUMN,
    );
    expect(unbounded).toEqual([]);
  });

  it.each<[label: string, method: Method, url: string, body: object, path: string]>([
    [
      'token rateLimitPerMinute',
      'POST',
      '/api/v1/tokens',
      { name: 'x', rateLimitPerMinute: 2 ** 31 },
      'rateLimitPerMinute',
    ],
    [
      'token rateLimitPerHour',
      'POST',
      '/api/v1/tokens',
      { name: 'x', rateLimitPerHour: 2 ** 31 },
      'rateLimitPerHour',
    ],
    [
      'token rateLimitPerHour, 2^53',
      'POST',
      '/api/v1/tokens',
      { name: 'x', rateLimitPerHour: 2 ** 53 },
      'rateLimitPerHour',
    ],
    [
      'rotation grace',
      'POST',
      '/api/v1/tokens/tok_x/rotate',
      { gracePeriodSeconds: 2 ** 31 },
      'gracePeriodSeconds',
    ],
    ['credit purchase', 'POST', '/api/v1/billing/credits', { amount: 2 ** 31 }, 'amount'],
    [
      'pull request',
      'POST',
      '/api/v1/reviews/trigger',
      { repositoryId: 'rep_x', title: 't', pullRequest: 2 ** 31 },
      'pullRequest',
    ],
  ])('%s → 400 VALIDATION_FAILED naming the field', async (_label, method, url, body, path) => {
    const response = await call(method, url, body);
    expect(response.statusCode).toBe(400);
    const error = response.json();
    expect(error).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
    expect(error.details.map((detail: { path: string }) => detail.path)).toContain(path);
  });

  it('a finding line beyond the column → 400 naming it; the largest value is stored', async () => {
    await call('POST', '/api/v1/billing/credits', { amount: 100 });
    const repository = await created('POST', '/api/v1/repositories', { name: 'bounds' });
    const review = await created('POST', '/api/v1/reviews/trigger', {
      repositoryId: repository.id,
      title: 'r',
    });
    const finding = { path: 'a.ts', severity: 'info', message: 'm' };
    const refused = await call('PATCH', `/api/v1/reviews/${review.id}`, {
      findings: [{ ...finding, line: 2 ** 31 }],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details).toEqual([expect.objectContaining({ path: 'findings.0.line' })]);
    const stored = await call('PATCH', `/api/v1/reviews/${review.id}`, {
      findings: [{ ...finding, line: MAX_INTEGER_COLUMN }],
    });
    expect(stored.statusCode).toBe(200);
    expect(stored.json().findings[0].line).toBe(MAX_INTEGER_COLUMN);
  });

  it('a token rate limit of exactly 2^31 − 1 is created and stored', async () => {
    const response = await call('POST', '/api/v1/tokens', {
      name: 'largest',
      rateLimitPerMinute: MAX_INTEGER_COLUMN,
      rateLimitPerHour: MAX_INTEGER_COLUMN,
    });
    expect(response.statusCode).toBe(201);
  });
});

describe('lone UTF-16 surrogates: refused everywhere, JSON and text columns alike', () => {
  let repositoryId: string;
  let reviewId: string;
  beforeAll(async () => {
    await call('POST', '/api/v1/billing/credits', { amount: 100 });
    repositoryId = (await created('POST', '/api/v1/repositories', { name: 'surrogates' })).id;
    reviewId = (await created('POST', '/api/v1/reviews/trigger', { repositoryId, title: 'r' })).id;
  });

  // Raw JSON text: the escapes reach the server as the client wrote them.
  it.each<[method: Method, url: () => string, raw: string, path: string]>([
    ['PATCH', () => '/api/v1/organization', '{"name":"x\\udfffy"}', 'name'],
    [
      'POST',
      () => '/api/v1/repositories',
      '{"name":"r2","reviewSettings":{"ignorePaths":["\\ud800x"]}}',
      'reviewSettings.ignorePaths.0',
    ],
    [
      'PATCH',
      () => `/api/v1/reviews/${reviewId}`,
      '{"findings":[{"path":"a","severity":"info","message":"\\udfff"}]}',
      'findings.0.message',
    ],
    ['POST', () => '/api/v1/tokens', '{"name":"x\\udfffy"}', 'name'],
    ['POST', () => '/api/v1/tokens', '{"name":"x","description":"\\ud83d"}', 'description'],
    ['PUT', () => '/api/v1/wiki/pages/lone', '{"title":"t","body":"\\ude00\\ud83d"}', 'body'],
  ])('%s %s → 400 VALIDATION_FAILED naming the field', async (method, url, raw, path) => {
    const response = await call(method, url(), raw);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      success: false,
      code: 'VALIDATION_FAILED',
      details: [{ path, message: LONE_SURROGATE_MESSAGE }],
    });
  });

  it('nothing was written, and a surrogate pair (an emoji) is stored as sent', async () => {
    const organization = (await call('GET', '/api/v1/organization')).json();
    expect(organization.name).not.toContain('\ufffd');
    expect((await call('GET', '/api/v1/wiki/pages/lone')).statusCode).toBe(404);
    const emoji = await call('PATCH', '/api/v1/organization', '{"name":"Acme \\ud83d\\ude00"}');
    expect(emoji.statusCode).toBe(200);
    expect(emoji.json().name).toBe('Acme 😀');
  });

  it('the same through tRPC', async () => {
    const failure = await failureOf(h.callerWithToken(token).organization.update({ name: 'x\udfff' }));
    expect(failure).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'name', message: LONE_SURROGATE_MESSAGE }],
    });
  });
});

describe('two Authorization headers', () => {
  let url: URL;
  beforeAll(async () => {
    url = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
  });

  /** A request over a real connection; an array value goes over the wire as that many header lines. */
  function rawRequest(path: string, authorization: string[]): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const request = httpGet(
        new URL(path, url),
        { headers: { Authorization: authorization } },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on('error', reject);
    });
  }

  it.each([
    ['REST', '/api/v1/tokens/self'],
    ['tRPC', '/trpc/tokens.self'],
  ])('%s: 401 MALFORMED_TOKEN, even when both are the same valid token', async (surface, path) => {
    const single = await rawRequest(path, [`Bearer ${token}`]);
    expect(single.status).toBe(200);
    for (const second of [`Bearer ${token}`, 'Bearer tgp_other']) {
      const response = await rawRequest(path, [`Bearer ${token}`, second]);
      expect(response.status).toBe(401);
      const body = JSON.parse(response.body);
      if (surface === 'REST') expect(body).toMatchObject({ success: false, code: 'MALFORMED_TOKEN' });
      else expect(body.error.data).toMatchObject({ appCode: 'MALFORMED_TOKEN', httpStatus: 401 });
      expect(response.body).toContain('exactly one Authorization header');
    }
  });
});

describe('a committed change whose invalidation NOTIFY fails', () => {
  it.each<[label: string, change: () => Promise<{ statusCode: number }>, applied: () => Promise<unknown>]>([
    [
      'PATCH /organization',
      () => call('PATCH', '/api/v1/organization', { name: 'Renamed while NOTIFY fails' }),
      async () =>
        expect((await call('GET', '/api/v1/organization')).json().name).toBe('Renamed while NOTIFY fails'),
    ],
    [
      'PATCH /team/{userId} (role)',
      () => call('PATCH', `/api/v1/team/${org.users.member.id}`, { role: 'viewer' }),
      async () => {
        const members = (await call('GET', '/api/v1/team')).json().data as { userId: string; role: string }[];
        expect(members.find((member) => member.userId === org.users.member.id)?.role).toBe('viewer');
      },
    ],
    [
      'DELETE /team/{userId}',
      () => call('DELETE', `/api/v1/team/${org.users.viewer.id}`),
      async () => {
        const members = (await call('GET', '/api/v1/team')).json().data as { userId: string }[];
        expect(members.map((member) => member.userId)).not.toContain(org.users.viewer.id);
      },
    ],
    [
      'POST /team (add)',
      () => call('POST', '/api/v1/team', { email: org.users.viewer.email, role: 'member' }),
      async () => {
        const members = (await call('GET', '/api/v1/team')).json().data as { userId: string }[];
        expect(members.map((member) => member.userId)).toContain(org.users.viewer.id);
      },
    ],
  ])('%s answers success and the change is applied', async (_label, change, applied) => {
    failNotify = true;
    try {
      const response = await change();
      expect(response.statusCode).toBeLessThan(300);
    } finally {
      failNotify = false;
    }
    await applied();
  });

  it('this process still drops what it cached: a revoked token is refused at once', async () => {
    const victim = await h.issueToken({ organizationId: org.id, type: 'service', scopes: ['tokens:read'] });
    const self = () =>
      app.inject({
        method: 'GET',
        url: '/api/v1/tokens/self',
        headers: { authorization: `Bearer ${victim.token}` },
      });
    expect((await self()).statusCode).toBe(200);
    failNotify = true;
    try {
      expect((await call('POST', `/api/v1/tokens/${victim.id}/revoke`)).statusCode).toBe(200);
    } finally {
      failNotify = false;
    }
    expect((await self()).json()).toMatchObject({ code: 'TOKEN_REVOKED' });
  });
});

describe('malformed tokens on the PostgreSQL rate-limit store', () => {
  const counter = createQueryCounter();
  let services: ServicesRuntime;
  let server: FastifyInstance;
  const FAILED_AUTH_PER_MINUTE = 30;

  beforeAll(async () => {
    // The harness's database (PostgreSQL on a PostgreSQL run, PGlite otherwise), every statement counted —
    // the product's and the rate-limit store's alike.
    const counted: DatabaseHandle = { ...h.database, db: h.database.db.withPlugin(counter.plugin) };
    services = createServices({
      env: h.env,
      database: counted,
      log: pino({ level: 'silent' }),
      clock: h.clock,
      usageFlushIntervalMs: 60_000,
      webhookWorker: false,
      rateLimits: {
        store: { kind: 'postgres', database: counted },
        failedAuthPerMinute: FAILED_AUTH_PER_MINUTE,
        keyPrefix: `malformed-${Date.now()}`,
      },
    });
    await services.start();
    server = await buildServer({ services, webDist: '/nonexistent' });
  });
  afterAll(async () => {
    await server?.close();
    await services?.stop();
  });

  const malformed = (n: number) => [
    `Bearer not-a-token-${n}`,
    // The right shape, the wrong checksum.
    `Bearer tgp_${'a'.repeat(30)}${String(n).padStart(6, '0')}`,
    `Basic ${n}`,
  ];

  it('100 malformed tokens cause no statement; 401 MALFORMED_TOKEN, then 429 per address', async () => {
    expect(services.rateLimits.store.kind).toBe('postgres');
    counter.reset();
    const outcomes: string[] = [];
    for (let n = 0; n < 100; n++) {
      const response = await server.inject({
        method: 'GET',
        url: '/api/v1/tokens/self',
        remoteAddress: `198.51.100.${n % 2}`,
        headers: { authorization: malformed(n)[n % 3] as string },
      });
      outcomes.push(`${response.statusCode} ${response.json().code}`);
    }
    expect(counter.executed()).toBe(0);
    // Two addresses, each allowed 30 failures a minute: 60 answers 401, the other 40 are 429.
    expect(outcomes.slice(0, 2 * FAILED_AUTH_PER_MINUTE).every((o) => o === '401 MALFORMED_TOKEN')).toBe(
      true,
    );
    expect(outcomes.slice(2 * FAILED_AUTH_PER_MINUTE).every((o) => o === '429 RATE_LIMITED')).toBe(true);
    // Another address is not held back.
    const other = await server.inject({
      method: 'GET',
      url: '/api/v1/tokens/self',
      remoteAddress: '198.51.100.7',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(other.statusCode).toBe(200);
  });

  it('unknown well-formed tokens still count in the shared store', async () => {
    counter.reset();
    const response = await server.inject({
      method: 'GET',
      url: '/api/v1/tokens/self',
      remoteAddress: '198.51.100.20',
      headers: { authorization: `Bearer ${newToken('service', { prefix: 'tg' }).token}` },
    });
    expect(response.json()).toMatchObject({ code: 'INVALID_TOKEN' });
    // The lookup by hash, the store's read before it and its count after it.
    expect(counter.executed()).toBeGreaterThanOrEqual(2);
  });
});
