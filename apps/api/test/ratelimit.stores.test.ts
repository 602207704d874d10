import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimitStoreConfig } from '../src/ratelimit/store.ts';
import { appRouter } from '../src/routers/root.ts';
import { codeOf } from '../src/routers/tokens/test-helpers.ts';
import { createServices, type ServicesRuntime } from '../src/services.ts';
import { createContextInner } from '../src/trpc/context.ts';
import { createCallerFactory } from '../src/trpc/init.ts';
import { createTestHarness, type TestHarness } from './helpers/harness.ts';
import { type RunningServer, spawnServer } from './helpers/spawn-server.ts';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.ts';

const REDIS_URL = process.env.REDIS_URL;
const DATABASE_URL = process.env.DATABASE_URL;
const LIMITS = { free: { perMinute: 3, perHour: 5 } };
const createCaller = createCallerFactory(appRouter);

let h: TestHarness;
const opened: ServicesRuntime[] = [];

beforeAll(async () => {
  h = await createTestHarness();
});
afterAll(async () => {
  for (const services of opened) await services.stop();
  await h?.close();
});

/** Services of one more "process" on the harness's database, counting in `store` with the test limits. */
async function servicesOn(store: RateLimitStoreConfig, keyPrefix: string) {
  const services = createServices({
    env: h.env,
    database: h.database,
    log: pino({ level: 'silent' }),
    clock: h.clock,
    usageFlushIntervalMs: 60_000,
    webhookWorker: false,
    rateLimits: { store, tiers: LIMITS, keyPrefix },
  });
  await services.start();
  opened.push(services);
  return services;
}

async function freeToken() {
  const org = await h.seedOrganization({ tier: 'free' });
  const { token } = await h.issueToken({ organizationId: org.id, type: 'service', scopes: ['tokens:read'] });
  return token;
}

function self(services: ServicesRuntime, token: string, headers?: Map<string, string>) {
  const request = {
    authorization: `Bearer ${token}`,
    ...(headers && {
      setHeader: (name: string, value: string) => void headers.set(name.toLowerCase(), value),
    }),
  };
  return createCaller(createContextInner({ services, request })).tokens.self();
}

/**
 * Three requests admitted with the remaining count falling, the fourth RATE_LIMITED: the test limit held.
 * The headers of the refusal, for what a test checks beyond that.
 */
async function expectLimitOfThree(services: ServicesRuntime, token: string): Promise<Map<string, string>> {
  const headers = new Map<string, string>();
  for (let n = 1; n <= 3; n++) {
    await self(services, token, headers);
    expect(headers.get('x-ratelimit-remaining')).toBe(String(3 - n));
  }
  expect(await codeOf(self(services, token, headers))).toBe('RATE_LIMITED');
  return headers;
}

/** Every store the run can reach: PostgreSQL is the harness's database (PGlite on the embedded run). */
const stores: [string, () => RateLimitStoreConfig][] = [
  ['memory', () => ({ kind: 'memory' })],
  [
    'postgres',
    () =>
      h.databaseUrl === undefined
        ? { kind: 'postgres', database: h.database }
        : { kind: 'postgres', databaseUrl: h.databaseUrl },
  ],
  ...(REDIS_URL
    ? [['redis', () => ({ kind: 'redis', url: REDIS_URL })] as [string, () => RateLimitStoreConfig]]
    : []),
];

describe.each(stores)('the %s store', (kind, store) => {
  it('refuses the 4th request of a minute, with the headers', async () => {
    const services = await servicesOn(store(), `test-${randomUUID()}`);
    expect(services.rateLimits.store.kind).toBe(kind);
    const token = await freeToken();
    const headers = await expectLimitOfThree(services, token);
    expect(Number(headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it.runIf(kind !== 'memory')(
    'two processes on the store admit exactly the limit in total under a burst',
    async () => {
      const keyPrefix = `test-${randomUUID()}`;
      const [first, second] = [await servicesOn(store(), keyPrefix), await servicesOn(store(), keyPrefix)];
      const token = await freeToken();
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => codeOf(self(i % 2 === 0 ? first : second, token))),
      );
      expect(outcomes.filter((code) => code === 'OK')).toHaveLength(3);
      expect(outcomes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(17);
    },
  );
});

describe.each<[string, RateLimitStoreConfig]>([
  ['Redis on a closed port', { kind: 'redis', url: 'redis://127.0.0.1:1/0' }],
  ['PostgreSQL on a closed port', { kind: 'postgres', databaseUrl: 'postgres://postgres@127.0.0.1:1/none' }],
])('an unreachable store (%s)', (_label, store) => {
  it('answers at once and still limits, in process memory (the documented insurance limiter)', async () => {
    const started = performance.now();
    const services = await servicesOn(store, `test-${randomUUID()}`);
    const token = await freeToken();
    await expectLimitOfThree(services, token);
    // Start-up plus four requests: no connection attempt is waited out per request.
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});

describe('a PostgreSQL store that accepts connections and never answers', () => {
  let hanging: TcpProxy;
  beforeAll(async () => {
    // Forwards nowhere: hung from the start, it accepts every connection and says nothing.
    hanging = await startTcpProxy({ host: '127.0.0.1', port: 1 });
    hanging.hang();
  });
  afterAll(async () => {
    await hanging.close();
  });

  it('costs one connection timeout, not one per request: after a failure it counts in memory for a while', async () => {
    const services = await servicesOn(
      { kind: 'postgres', databaseUrl: `postgres://postgres@127.0.0.1:${hanging.port}/none` },
      `test-${randomUUID()}`,
    );
    const token = await freeToken();
    const started = performance.now();
    await expectLimitOfThree(services, token);
    // The first request waits out the store's connection timeout (1 s); the next ones go to memory at once
    // (a timeout each would be 4 s and more).
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});

describe.runIf(REDIS_URL && DATABASE_URL)('two server processes on one Redis', () => {
  const servers: RunningServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.stop();
  });

  it('admit exactly the limit in total under a concurrent burst', async () => {
    const token = await freeToken();
    const env = {
      DATABASE_URL: h.databaseUrl,
      REDIS_URL,
      TOLLGATE_RATE_LIMIT_OVERRIDE: JSON.stringify({
        tiers: { free: { perMinute: 5, perHour: 100 } },
        keyPrefix: `test-${randomUUID()}`,
      }),
    };
    servers.push(...(await Promise.all([spawnServer(env), spawnServer(env)])));
    const statuses = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const server = servers[i % 2] as RunningServer;
        const response = await fetch(`${server.url}/api/v1/tokens/self`, {
          headers: { authorization: `Bearer ${token}` },
        });
        return response.status;
      }),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(25);
  }, 120_000);
});
