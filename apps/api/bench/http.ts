/**
 * HTTP benchmark (issue 4, item 6): autocannon on a bare node:http server answering `{"ok":true}` and on the
 * real Tollgate server answering `GET /api/v1/tokens/self` with a valid token, in one run on one machine —
 * once with the memory rate-limit store and once with Redis. Returns the "HTTP" section of BENCHMARKS.md.
 */
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { type DatabaseHandle, insertOrganization, insertToken } from '@tollgate/db';
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
const DURATION_SECONDS = QUICK ? 2 : 3;
const WARMUP_SECONDS = QUICK ? 1 : 2;
/** Every target is measured this many times, the targets taking turns; the median round is reported. */
const ROUNDS = QUICK ? 1 : 5;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/15';
const TARGETS = { memory: 0.5, redis: 0.35 } as const;

interface Measured {
  target: string;
  rate: number;
  p50: number;
  p99: number;
  failures: number;
  /** requests/s of every round, in order. */
  rounds: number[];
}

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  close(): Promise<void>;
}

async function once(target: Target, seconds: number) {
  return autocannon({
    url: target.url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: target.headers,
  });
}

/**
 * Loads every target in turn, ROUNDS times, after a warm-up of each: a machine that is busier for a few seconds
 * then slows every target alike rather than one. Each target's median round is reported.
 */
async function measureInTurns(targets: Target[]): Promise<Measured[]> {
  for (const target of targets) await once(target, WARMUP_SECONDS);
  const results = new Map<Target, Awaited<ReturnType<typeof once>>[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of targets) {
      console.error(`HTTP: round ${round + 1}/${ROUNDS}, ${target.name}…`);
      results.set(target, [...(results.get(target) ?? []), await once(target, DURATION_SECONDS)]);
    }
  }
  return targets.map((target) => {
    const runs = results.get(target) ?? [];
    const median = [...runs].sort((a, b) => a.requests.average - b.requests.average)[
      Math.floor(runs.length / 2)
    ] as AutocannonResult;
    return {
      target: target.name,
      rate: median.requests.average,
      p50: median.latency.p50,
      p99: median.latency.p99,
      failures: runs.reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0),
      rounds: runs.map((run) => run.requests.average),
    };
  });
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

/** A bare node:http server answering one fixed response: these headers and this body. */
async function bareTarget(name: string, headers: Record<string, string>, body: string): Promise<Target> {
  const server = createServer((_, response) => {
    response.writeHead(200, headers);
    response.end(body);
  });
  const url = await listen(server);
  return {
    name,
    url,
    headers: {},
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An enterprise organisation and a service token without IP restrictions: what the load presents. */
async function seedServiceToken(database: DatabaseHandle): Promise<string> {
  const organizationId = newId('organization');
  await insertOrganization(database.db, {
    id: organizationId,
    name: 'HTTP benchmark',
    slug: `bench-http-${organizationId.slice(-8).toLowerCase()}`,
    tier: 'enterprise',
    policy: DEFAULT_POLICY,
  });
  const { token, hash, prefix } = newToken('service');
  await insertToken(database.db, {
    id: newId('token'),
    organizationId,
    type: 'service',
    name: 'http bench',
    scopes: ['wiki:read'],
    prefix,
    hash,
  });
  return token;
}

/** The whole Tollgate server on the benchmark database, with its rate limits counted in `store`. */
async function tollgateTarget(
  database: DatabaseHandle,
  token: string,
  store: RateLimitStoreConfig,
  options: { metrics?: boolean } = {},
): Promise<Target & { probe: Response; body: string }> {
  const services = createServices({
    // With metrics, the server counts every request (its onResponse hook) and serves /metrics on a free port.
    env: loadEnv({ LOG_LEVEL: 'silent', ...(options.metrics ? { METRICS_PORT: '0' } : {}) }),
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
  const close = async () => {
    await app.close();
    await services.stop();
  };
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/tokens/self`;
    const headers = { authorization: `Bearer ${token}` };
    const probe = await fetch(url, { headers });
    const body = await probe.text();
    if (probe.status !== 200) throw new Error(`tokens/self answered ${probe.status}: ${body}`);
    if (!probe.headers.get('x-ratelimit-limit')) throw new Error('no rate-limit headers on tokens/self');
    return {
      name: `Tollgate GET /api/v1/tokens/self, ${store.kind} store${options.metrics ? ', metrics on' : ''}`,
      url,
      headers,
      close,
      probe,
      body,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The headers of a response as a bare server would send them again (no per-connection ones). */
function replayableHeaders(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name)) headers[name] = value;
  });
  return headers;
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
  const targets: Target[] = [];
  try {
    const token = await seedServiceToken(bench.database);
    const fixed = JSON.stringify({ ok: true });
    const bare = await bareTarget(
      'bare node:http, fixed JSON',
      { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(fixed)) },
      fixed,
    );
    targets.push(bare);
    const memory = await tollgateTarget(bench.database, token, { kind: 'memory' });
    // The same bytes as Tollgate's answer (headers and body), from a bare server: what the payload alone costs.
    const sameBytes = await bareTarget(
      'bare node:http, the same bytes as Tollgate’s response',
      replayableHeaders(memory.probe),
      memory.body,
    );
    // The same server with METRICS_PORT set, taking turns with the one without: what the metrics cost (§17).
    const withMetrics = await tollgateTarget(bench.database, token, { kind: 'memory' }, { metrics: true });
    targets.push(sameBytes, memory, withMetrics);
    const redisError = await redisReachable(REDIS_URL);
    let redis: Target | null = null;
    if (redisError) {
      notes.push(`Redis at ${REDIS_URL} unreachable (${redisError}): the Redis row was not measured.`);
    } else {
      redis = await tollgateTarget(bench.database, token, { kind: 'redis', url: REDIS_URL });
      targets.push(redis);
    }
    const measured = await measureInTurns(targets);
    const bareRate = (measured[0] as Measured).rate;
    const off = measured[targets.indexOf(memory)] as Measured;
    const on = measured[targets.indexOf(withMetrics)] as Measured;
    const pairs = off.rounds.map((rate, round) => (on.rounds[round] ?? Number.NaN) / rate);
    notes.push(
      `Metrics on / off (memory store): ${fmt(on.rate / off.rate, 3)} of requests/s on the median rounds, median of the per-round ratios ${fmt(
        [...pairs].sort((a, b) => a - b)[Math.floor(pairs.length / 2)] ?? Number.NaN,
        3,
      )}; per round ${pairs.map((ratio) => fmt(ratio, 3)).join(' · ')} (target: ≥ 0.95, at most 5 % lost).`,
    );
    for (const [index, result] of measured.entries()) {
      const target = targets[index];
      const goal = target === memory ? TARGETS.memory : target === redis ? TARGETS.redis : null;
      rows.push({ measured: result, ratio: index === 0 ? null : result.rate / bareRate, target: goal });
    }
  } finally {
    for (const target of targets) await target.close();
    await bench.close();
  }

  const header =
    '| target | requests/s (median round) | p50 | p99 | non-2xx + errors | ratio to bare | target ratio | every round |\n|---|---|---|---|---|---|---|---|';
  const lines = rows.map(
    ({ measured, ratio, target }) =>
      `| ${measured.target} | ${fmt(measured.rate)} | ${measured.p50} ms | ${measured.p99} ms | ${measured.failures} | ${
        ratio === null ? '1' : fmt(ratio, 2)
      } | ${target === null ? '' : `≥ ${target} ${ratio !== null && ratio >= target ? '✓' : '✗'}`} | ${measured.rounds
        .map((rate) => fmt(rate))
        .join(' · ')} |`,
  );
  return `## HTTP

Issue 4, item 6. autocannon, ${CONNECTIONS} connections, all in one process on one machine (the load generator
shares the CPU with the server it measures). Every target is warmed up for ${WARMUP_SECONDS} s, then loaded for
${DURATION_SECONDS} s in ${ROUNDS} round(s), the targets taking turns; the median round is reported and the ratio is
taken against the first row. The second row answers the very bytes Tollgate answers (its headers and body), to
show what the payload costs on its own.
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
