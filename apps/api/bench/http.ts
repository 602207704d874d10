/**
 * HTTP benchmark (issue 4, item 6): autocannon on a bare node:http server answering `{"ok":true}` and on the
 * real Tollgate server answering `GET /api/v1/tokens/self` with a valid token, in one run on one machine —
 * once with the memory rate-limit store and once with Redis. Returns the "HTTP" section of BENCHMARKS.md.
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { type DatabaseHandle, jsonb } from '@tollgate/db';
import { DEFAULT_POLICY, newId, newToken } from '@tollgate/domain';
import { pino } from 'pino';
import { loadEnv } from '../src/env.ts';
import type { RateLimitStoreConfig } from '../src/ratelimit/store.ts';
import { buildServer } from '../src/server.ts';
import { createServices } from '../src/services.ts';
import { DEFAULT_POSTGRES_URL, openBenchDatabase } from './setup.ts';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;
// autocannon ships no types; this is the part of its promise API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const QUICK = process.env.BENCH_QUICK === '1';
const CONNECTIONS = 50;
const DURATION_SECONDS = QUICK ? 2 : 5;
const WARMUP_SECONDS = 1;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/15';
const TARGETS = { memory: 0.5, redis: 0.35 } as const;

interface Measured {
  target: string;
  rate: number;
  p50: number;
  p99: number;
  failures: number;
}

async function load(target: string, url: string, headers: Record<string, string> = {}): Promise<Measured> {
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_SECONDS, headers });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_SECONDS, headers });
  return {
    target,
    rate: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

async function measureBare(): Promise<Measured> {
  const body = JSON.stringify({ ok: true });
  const server = createServer((_, response) => {
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
  const url = await listen(server);
  try {
    return await load('bare node:http, fixed JSON', url);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** An enterprise organisation and a service token without IP restrictions: what the load presents. */
export async function seedServiceToken(database: DatabaseHandle): Promise<string> {
  const organizationId = newId('organization');
  await database.db
    .insertInto('organizations')
    .values({
      id: organizationId,
      name: 'HTTP benchmark',
      slug: `bench-http-${organizationId.slice(-8).toLowerCase()}`,
      tier: 'enterprise',
      customRateLimitPerMinute: null,
      customRateLimitPerHour: null,
      policy: jsonb(DEFAULT_POLICY),
    })
    .execute();
  const { token, hash, prefix } = newToken('service');
  await database.db
    .insertInto('tokens')
    .values({
      id: newId('token'),
      organizationId,
      type: 'service',
      subjectUserId: null,
      createdByUserId: null,
      createdByTokenId: null,
      name: 'http bench',
      description: null,
      environment: null,
      scopes: ['wiki:read'],
      ipAllowlist: [],
      rateLimitPerMinute: null,
      rateLimitPerHour: null,
      expiresAt: null,
      active: true,
      revokedAt: null,
      lastUsedAt: null,
      lastUsedIp: null,
      prefix,
      hash,
      previousHash: null,
      previousHashExpiresAt: null,
      expiryNotifiedAt: null,
    })
    .execute();
  return token;
}

async function measureTollgate(
  database: DatabaseHandle,
  token: string,
  store: RateLimitStoreConfig,
): Promise<Measured> {
  const services = createServices({
    env: loadEnv({ LOG_LEVEL: 'silent' }),
    database,
    log: pino({ level: 'silent' }),
    webhookWorker: false,
    // Counted in the store as in production, never refused: an enterprise custom limit far above the load.
    rateLimits: {
      tiers: { enterprise: { perMinute: 1_000_000_000, perHour: 1_000_000_000 } },
      keyPrefix: `bench-http-${newId('token').slice(-10)}`,
      store,
    },
  });
  await services.start();
  const app = await buildServer({ services });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/tokens/self`;
    const probe = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (probe.status !== 200) throw new Error(`tokens/self answered ${probe.status}: ${await probe.text()}`);
    if (!probe.headers.get('x-ratelimit-limit')) throw new Error('no rate-limit headers on tokens/self');
    return await load(`Tollgate GET /api/v1/tokens/self, ${store.kind} store`, url, {
      authorization: `Bearer ${token}`,
    });
  } finally {
    await app.close();
    await services.stop();
  }
}

async function redisReachable(url: string): Promise<string | null> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000 });
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    client.disconnect();
  }
}

const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Runs the HTTP benchmark and returns the markdown of the "HTTP" section (heading included). */
export async function runHttpBench(): Promise<string> {
  const startLoad = loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
  const serverUrl = process.env.DATABASE_URL ?? DEFAULT_POSTGRES_URL;
  let bench: Awaited<ReturnType<typeof openBenchDatabase>>;
  try {
    bench = await openBenchDatabase('postgres', serverUrl);
  } catch (error) {
    console.error(`PostgreSQL unavailable (${(error as Error).message}); HTTP bench on PGlite.`);
    bench = await openBenchDatabase('pglite', serverUrl);
  }
  const rows: { measured: Measured; ratio: number | null; target: number | null }[] = [];
  const notes: string[] = [];
  try {
    const token = await seedServiceToken(bench.database);
    console.error('HTTP: bare node:http…');
    const bare = await measureBare();
    rows.push({ measured: bare, ratio: null, target: null });
    console.error('HTTP: Tollgate, memory store…');
    const memory = await measureTollgate(bench.database, token, { kind: 'memory' });
    rows.push({ measured: memory, ratio: memory.rate / bare.rate, target: TARGETS.memory });
    const redisError = await redisReachable(REDIS_URL);
    if (redisError) {
      notes.push(`Redis at ${REDIS_URL} unreachable (${redisError}): the Redis row was not measured.`);
    } else {
      console.error('HTTP: Tollgate, Redis store…');
      const redis = await measureTollgate(bench.database, token, { kind: 'redis', url: REDIS_URL });
      rows.push({ measured: redis, ratio: redis.rate / bare.rate, target: TARGETS.redis });
    }
  } finally {
    await bench.close();
  }

  const header =
    '| target | requests/s | p50 | p99 | non-2xx + errors | ratio to bare | target ratio |\n|---|---|---|---|---|---|---|';
  const lines = rows.map(
    ({ measured, ratio, target }) =>
      `| ${measured.target} | ${fmt(measured.rate)} | ${measured.p50} ms | ${measured.p99} ms | ${measured.failures} | ${
        ratio === null ? '1' : fmt(ratio, 2)
      } | ${target === null ? '' : `≥ ${target} ${ratio !== null && ratio >= target ? '✓' : '✗'}`} |`,
  );
  return `## HTTP

Issue 4, item 6. autocannon, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up then ${DURATION_SECONDS} s per
target, all in one process on one machine (the load generator shares the CPU with the server it measures).
Tollgate is the full server (\`buildServer\`): Bearer verification (warm cache), the §6 rate limiter counting
the minute and hour windows in the store, the headers, the procedure, JSON serialisation. The organisation
is enterprise with a custom limit far above the load, so nothing is refused.

- Date: ${new Date().toISOString()}
- CPU: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} logical CPUs, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM; Node ${process.version}
- Load average when the HTTP run started: ${startLoad}
- Database: ${bench.label}; Redis: ${REDIS_URL} (keys under a unique prefix)

${header}
${lines.join('\n')}
${notes.length ? `\n${notes.map((note) => `- ${note}`).join('\n')}\n` : ''}
Reproduce: \`pnpm bench -- --http\` (this section only), \`pnpm bench\` (all), \`BENCH_REDIS_URL=…\` for another Redis.
`;
}
