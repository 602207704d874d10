import { createDatabase, type DatabaseHandle } from '@tollgate/db';
import { newToken } from '@tollgate/domain';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestHarness, type TestHarness } from '../test/helpers/harness.ts';
import { startTcpProxy, type TcpProxy } from '../test/helpers/tcp-proxy.ts';
import { loadEnv } from './env.ts';
import type { RateLimitStoreConfig } from './ratelimit/store.ts';
import { buildServer } from './server.ts';
import { createServices } from './services.ts';

/**
 * A server on `database` as main.ts builds one, its rate limits in memory unless `store` says otherwise. Only
 * the rate-limit store is started (connected): the other background work needs a database to listen on.
 */
async function serverOn(database: DatabaseHandle, store?: RateLimitStoreConfig) {
  const services = createServices({
    env: loadEnv({ LOG_LEVEL: 'silent' }),
    database,
    log: pino({ level: 'silent' }),
    webhookWorker: false,
    ...(store ? { rateLimits: { store } } : {}),
  });
  await services.rateLimits.start();
  const app = await buildServer({ services, webDist: '/nonexistent' });
  return {
    app,
    services,
    async close() {
      await app.close();
      await services.stop();
    },
  };
}

/** A PostgreSQL URL nothing listens on (port 1): connecting fails at once rather than hanging. */
const CLOSED_PORT_URL = 'postgres://postgres@127.0.0.1:1/none';

describe('health endpoints', () => {
  let harness: TestHarness;
  let app: Awaited<ReturnType<typeof buildServer>>;

  beforeAll(async () => {
    harness = await createTestHarness();
    app = await buildServer({ services: harness.services, webDist: '/nonexistent' });
  });
  afterAll(async () => {
    await app.close();
    await harness.close();
  });

  it('answers /healthz while the process is up', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 when the database is reachable', async () => {
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready' });
  });
});

describe('readiness without a database', () => {
  it('answers /readyz with 503 UNAVAILABLE and the error body of §7 when the database is unreachable', async () => {
    const database = await createDatabase({ databaseUrl: CLOSED_PORT_URL, onError: () => {} });
    const { app, close } = await serverOn(database);
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.json()).toEqual({
        success: false,
        error: expect.stringMatching(/database/i),
        code: 'UNAVAILABLE',
        type: '/docs/errors#UNAVAILABLE',
        title: 'Service unavailable',
        status: 503,
        detail: response.json().error,
        instance: '/readyz',
        requestId: response.headers['request-id'],
      });
      expect(response.body).not.toMatch(/ECONNREFUSED|at .*\.ts/);
      expect(response.headers['retry-after']).toBe('5');
    } finally {
      await close();
      await database.close();
    }
  });
});

describe('requests without a database', () => {
  it.each([
    ['/api/v1', '/api/v1/repositories?limit=5'],
    ['/trpc', '/trpc/repositories.list'],
  ])(
    '%s: a request that needs the database is 503 UNAVAILABLE with Retry-After, at once',
    async (surface, url) => {
      const database = await createDatabase({ databaseUrl: CLOSED_PORT_URL, onError: () => {} });
      const { app, services, close } = await serverOn(database);
      try {
        // Well formed, so it is looked up: the lookup is what cannot reach the database.
        const { token } = newToken('service', { prefix: services.env.TOKEN_PREFIX });
        const started = performance.now();
        const response = await app.inject({
          method: 'GET',
          url,
          headers: { authorization: `Bearer ${token}` },
        });
        expect(performance.now() - started).toBeLessThan(2_000);
        expect(response.statusCode).toBe(503);
        expect(response.headers['retry-after']).toBe('5');
        const body = response.json();
        if (surface === '/trpc') {
          expect(body.error).toMatchObject({
            message: expect.stringMatching(/database/),
            data: { appCode: 'UNAVAILABLE', httpStatus: 503 },
          });
        } else {
          expect(body).toMatchObject({
            code: 'UNAVAILABLE',
            status: 503,
            error: expect.stringMatching(/database/),
          });
        }
        expect(response.body).not.toMatch(/ECONNREFUSED|at .*\.ts/);
      } finally {
        await close();
        await database.close();
      }
    },
  );
});

const REDIS_URL = process.env.REDIS_URL;

describe.skipIf(!process.env.DATABASE_URL)('readiness through a PostgreSQL outage', () => {
  let harness: TestHarness;
  let proxy: TcpProxy;
  let database: DatabaseHandle;
  let server: Awaited<ReturnType<typeof serverOn>>;
  beforeAll(async () => {
    harness = await createTestHarness();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(harness.databaseUrl ?? '').port) });
    database = await createDatabase({
      databaseUrl: proxy.urlFor(harness.databaseUrl ?? ''),
      connectionTimeoutMillis: 1_000,
      statementTimeoutMillis: 1_000,
      onError: () => {},
    });
    server = await serverOn(database);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
    await proxy?.close();
    await harness?.close();
  });

  it.each([
    ['cut', (p: TcpProxy) => p.cut()],
    ['hanging', (p: TcpProxy) => p.hang()],
  ])(
    'is 503 with Retry-After while the database is %s, and 200 again once it is back',
    async (_label, fail) => {
      const readyz = () => server.app.inject({ method: 'GET', url: '/readyz' });
      expect((await readyz()).statusCode).toBe(200);
      await fail(proxy);
      const started = performance.now();
      const down = await readyz();
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ code: 'UNAVAILABLE', status: 503 });
      expect(down.headers['retry-after']).toBe('5');
      // Within the connection timeout (1 s) and some slack for a busy machine, never a hung probe.
      expect(performance.now() - started).toBeLessThan(3_000);
      await proxy.restore();
      await vi.waitFor(async () => expect((await readyz()).statusCode).toBe(200), {
        timeout: 5_000,
        interval: 100,
      });
    },
  );
});

describe('readiness and Redis', () => {
  let harness: TestHarness;
  beforeAll(async () => {
    harness = await createTestHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  it.runIf(REDIS_URL)('is ready when the database and Redis answer', async () => {
    const server = await serverOn(harness.database, { kind: 'redis', url: REDIS_URL ?? '' });
    try {
      const response = await server.app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ready' });
    } finally {
      await server.close();
    }
  });

  it('stays 200 but says "degraded" when Redis is unreachable: the insurance limiter serves, and Redis is down for every replica at once', async () => {
    const server = await serverOn(harness.database, { kind: 'redis', url: 'redis://127.0.0.1:1/0' });
    try {
      const started = performance.now();
      const response = await server.app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        status: 'degraded',
        redis: 'unreachable',
        detail: expect.stringMatching(/memory/),
      });
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      await server.close();
    }
  });
});
