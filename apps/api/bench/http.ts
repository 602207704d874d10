/**
 * `pnpm bench --http` (issue 17, item 1): Tollgate's REST hot path against the design's own lower bound, with
 * the load outside the server. Every target is a process of its own, pinned to one core; the load generator
 * (wrk, else autocannon) is another process pinned to another; the targets take turns round after round and
 * each one's median round is compared with reference rows of the same run:
 *
 * - bare node:http and bare Fastify answering Tollgate's exact bytes (fetched once from the memory target);
 * - the hand-rolled minimal server (targets/minimal.ts), counting in memory and in Redis;
 * - Tollgate itself, started with its production entry point (src/main.ts) and nothing but environment
 *   variables: the embedded default (PGlite in a data directory, memory counters) and PostgreSQL + Redis.
 *
 * Returns the "HTTP" section of BENCHMARKS.md.
 */

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDatabase, migrateToLatest } from '@tollgate/db';
import { Redis, type Redis as RedisClient } from 'ioredis';
import {
  callgrindAvailable,
  callgrindCommand,
  countInstructions,
  type InstructionCount,
} from './callgrind.ts';
import { type LoadGenerator, type LoadResult, loadGenerator } from './load.ts';
import { type Child, installCleanup, pinning, pinRunning, startChild, stopAllChildren } from './processes.ts';
import {
  type BenchDatabase,
  DEFAULT_POSTGRES_URL,
  insertServiceTokens,
  makeServiceTokens,
  openBenchDatabase,
} from './setup.ts';
import { COMPUTED_HEADERS, type ReferenceSpec } from './targets/spec.ts';

export interface HttpBenchOptions {
  rounds: number;
  /** Seconds of load per target and round. */
  seconds: number;
  /** Seconds of load per target before the first round. */
  warmupSeconds: number;
  connections: number;
  tokens: number;
  instructions: boolean;
  /** Seconds of load counted under callgrind (after a warm-up of `instructionsWarmupSeconds`). */
  instructionsSeconds: number;
  instructionsWarmupSeconds: number;
  /** The targets to run (`--targets a,b`); the embedded Tollgate always runs, the references replay its answer. */
  targets: TargetId[] | null;
  /** The targets counted under callgrind (`--instructions-targets a,b`); default {@link INSTRUCTION_TARGETS}. */
  instructionTargets: TargetId[] | null;
}

/** The issue's targets (issue 17). */
const GOALS = { memoryRatio: 0.75, redisRatio: 0.85, p99Factor: 2, instructionsFactor: 1.6 } as const;
/** Issue 16: serving metrics costs at most 5 % of requests/s. */
const METRICS_GOAL = 0.95;
const MIN_ROUNDS = 5;

const DEFAULTS = {
  rounds: 7,
  seconds: 5,
  warmupSeconds: 3,
  connections: 50,
  tokens: 100,
  instructions: false,
  // Tollgate under valgrind needs tens of seconds before its 100 cache misses and the JIT are behind it.
  instructionsWarmupSeconds: 40,
  instructionsSeconds: 20,
  targets: null,
  instructionTargets: null,
} satisfies HttpBenchOptions;
const QUICK_DEFAULTS = {
  ...DEFAULTS,
  rounds: 2,
  seconds: 2,
  warmupSeconds: 1,
  instructionsWarmupSeconds: 30,
  instructionsSeconds: 10,
} satisfies HttpBenchOptions;
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/15';

/** `--rounds 5 --duration 5 --warmup 2 --connections 50 --tokens 100 --instructions …`; BENCH_QUICK=1 shortens. */
export function httpOptionsFromArgs(argv: string[]): HttpBenchOptions {
  const quick = process.env.BENCH_QUICK === '1';
  const { values } = parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    strict: false,
    options: {
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      tokens: { type: 'string' },
      instructions: { type: 'boolean' },
      'instructions-duration': { type: 'string' },
      'instructions-warmup': { type: 'string' },
      targets: { type: 'string' },
      'instructions-targets': { type: 'string' },
    },
  });
  const number = (name: keyof typeof values, fallback: number, min: number) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number ≥ ${min}`);
    return value;
  };
  const defaults = quick ? QUICK_DEFAULTS : DEFAULTS;
  return {
    rounds: Math.round(number('rounds', defaults.rounds, 1)),
    seconds: number('duration', defaults.seconds, 1),
    warmupSeconds: number('warmup', defaults.warmupSeconds, 0),
    connections: Math.round(number('connections', defaults.connections, 1)),
    tokens: Math.round(number('tokens', defaults.tokens, 1)),
    instructions: values.instructions === true,
    instructionsSeconds: number('instructions-duration', defaults.instructionsSeconds, 1),
    instructionsWarmupSeconds: number('instructions-warmup', defaults.instructionsWarmupSeconds, 1),
    targets: targetsFrom(values.targets),
    instructionTargets: targetsFrom(values['instructions-targets']),
  };
}

function targetsFrom(raw: string | boolean | undefined): TargetId[] | null {
  if (typeof raw !== 'string') return null;
  const known = new Set<string>(DEFINITIONS.map((definition) => definition.id));
  const ids = raw
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new Error(`--targets: unknown ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  return ids as TargetId[];
}

type TargetId =
  | 'bare-node'
  | 'bare-fastify'
  | 'minimal-memory'
  | 'minimal-redis'
  | 'tollgate-memory'
  | 'tollgate-memory-metrics'
  | 'tollgate-redis'
  | 'tollgate-organization';

interface TargetDefinition {
  id: TargetId;
  label: string;
  path: string;
  /** The minimal server this row is held against, for /tokens/self. */
  minimal?: TargetId;
  /** The ratio to its minimal server the issue asks for. */
  goal?: number;
}

/**
 * Counted under callgrind by default: the embedded rows and the minimal server they are held against. The Redis
 * rows can be asked for (`--instructions-targets minimal-redis,tollgate-redis`), but under valgrind their
 * network round trips (and ioredis's 500 ms command timeout, far from every healthy reply at native speed)
 * make the counted window mostly waiting: read them as a rough figure.
 */
const INSTRUCTION_TARGETS: TargetId[] = ['minimal-memory', 'tollgate-memory', 'tollgate-memory-metrics'];

const SELF = '/api/v1/tokens/self';
const DEFINITIONS: TargetDefinition[] = [
  { id: 'bare-node', label: 'bare node:http, Tollgate’s exact bytes', path: SELF },
  { id: 'bare-fastify', label: 'bare Fastify, the same bytes', path: SELF },
  {
    id: 'minimal-memory',
    label: 'minimal: Fastify + Bearer regex + SHA-256 + Map + two RateLimiterMemory windows',
    path: SELF,
  },
  {
    id: 'minimal-redis',
    label: 'minimal, counting both windows in Redis (RateLimiterRedis, ioredis auto-pipelining)',
    path: SELF,
  },
  {
    id: 'tollgate-memory',
    label: 'Tollgate GET /api/v1/tokens/self, embedded default (PGlite, memory store)',
    path: SELF,
    minimal: 'minimal-memory',
    goal: GOALS.memoryRatio,
  },
  {
    id: 'tollgate-memory-metrics',
    label: 'the same, serving metrics (METRICS_PORT set: prom-client counters and the per-request hook)',
    path: SELF,
    minimal: 'minimal-memory',
  },
  {
    id: 'tollgate-redis',
    label: 'Tollgate GET /api/v1/tokens/self, PostgreSQL + Redis',
    path: SELF,
    minimal: 'minimal-redis',
    goal: GOALS.redisRatio,
  },
  {
    id: 'tollgate-organization',
    label: 'Tollgate GET /api/v1/organization, PostgreSQL + Redis (one query)',
    path: '/api/v1/organization',
  },
];

interface RunningTarget {
  definition: TargetDefinition;
  child: Child;
  url: string;
  env: NodeJS.ProcessEnv;
}

/** One round of one target: the load generator's result and the CPU time the target used meanwhile. */
interface Round extends LoadResult {
  /** CPU time (user + system, every thread of the target) per request answered, µs; null without /proc. */
  cpuMicros: number | null;
}

interface Row {
  definition: TargetDefinition;
  rounds: Round[];
  rate: number;
  p50: number;
  p99: number;
  /** Median over the rounds of {@link Round.cpuMicros}. */
  cpuMicros: number | null;
  failures: number;
}

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds a process has used so far, all its threads (user + system, /proc/<pid>/stat); null where there is
 * no /proc. Unlike req/s, it hardly moves with what else the machine runs: a second, noise-tolerant view of what
 * a request costs, which (unlike callgrind's main thread) includes the threads the target hands work to.
 */
function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

const API_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const TARGETS_DIRECTORY = fileURLToPath(new URL('./targets/', import.meta.url));
const TSX = import.meta.resolve('tsx');
const STARTUP_MS = 60_000;
const STARTUP_UNDER_VALGRIND_MS = 300_000;

const benchStart = performance.now();
/** A progress line on stderr, with the seconds since the benchmark started. */
function progress(message: string): void {
  console.error(`[${((performance.now() - benchStart) / 1000).toFixed(1)} s] HTTP: ${message}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');

/** The parent's environment without what would make a Tollgate process use another database or store. */
function baseEnv(): NodeJS.ProcessEnv {
  // HOST is left to Tollgate's default (127.0.0.1): valgrind names its vgdb pipes after $HOST, and
  // callgrind_control must find them with the same environment.
  const {
    DATABASE_URL: _d,
    REDIS_URL: _r,
    TOLLGATE_RATE_LIMIT_OVERRIDE: _o,
    PORT: _p,
    HOST: _h,
    ...rest
  } = process.env;
  return { ...rest, PORT: '0', LOG_LEVEL: 'warn' };
}

interface Context {
  directory: string;
  specFile: string;
  pglite: string;
  /** A second embedded data directory, seeded alike, for the metrics variant (one process per directory). */
  pgliteMetrics: string;
  postgresUrl: string | null;
  redisUrl: string | null;
  keyPrefix: string;
}

/** The command line of a target: Tollgate's own entry point, or a reference server with the spec. */
function commandOf(id: TargetId, context: Context): { args: string[]; env: NodeJS.ProcessEnv } {
  const node = ['--import', TSX];
  const reference = (file: string, ...extra: string[]) => ({
    args: [...node, join(TARGETS_DIRECTORY, file), context.specFile, ...extra],
    env: baseEnv(),
  });
  const tollgate = (env: NodeJS.ProcessEnv) => ({ args: [...node, MAIN], env: { ...baseEnv(), ...env } });
  switch (id) {
    case 'bare-node':
      return reference('bare-node.ts');
    case 'bare-fastify':
      return reference('bare-fastify.ts');
    case 'minimal-memory':
      return reference('minimal.ts', 'memory');
    case 'minimal-redis':
      return reference('minimal.ts', 'redis');
    case 'tollgate-memory':
      return tollgate({ TOLLGATE_DATA_DIR: context.pglite });
    case 'tollgate-memory-metrics':
      return tollgate({ TOLLGATE_DATA_DIR: context.pgliteMetrics, METRICS_PORT: '0' });
    case 'tollgate-redis':
    case 'tollgate-organization':
      return tollgate({
        DATABASE_URL: context.postgresUrl ?? '',
        REDIS_URL: context.redisUrl ?? '',
        TOLLGATE_RATE_LIMIT_OVERRIDE: JSON.stringify({ keyPrefix: `${context.keyPrefix}-${id}` }),
      });
  }
}

const VALGRIND_TIMEOUTS = { DATABASE_CONNECT_TIMEOUT_MS: '600000', DATABASE_STATEMENT_TIMEOUT_MS: '3600000' };

const READY = /BENCH_LISTENING (\S+)|Tollgate is running at (\S+)/;

async function startTarget(
  definition: TargetDefinition,
  context: Context,
  cores: string | null,
  callgrindOut?: string,
): Promise<RunningTarget> {
  const { args, env: ownEnv } = commandOf(definition.id, context);
  // Under valgrind everything runs tens of times slower: the database timeouts meant to catch a hung server
  // would fire on healthy statements and turn the counted window into error handling.
  const env = callgrindOut ? { ...ownEnv, ...VALGRIND_TIMEOUTS } : ownEnv;
  const [command, argv] = callgrindOut
    ? callgrindCommand(callgrindOut, process.execPath, args)
    : [process.execPath, args];
  // Started on any core and pinned once listening: start-up (tsx, migrations) is not what is measured, and
  // several targets start at once.
  const child = startChild(command, argv, { cores: null, env, cwd: API_DIRECTORY });
  const match = await child.waitFor(READY, callgrindOut ? STARTUP_UNDER_VALGRIND_MS : STARTUP_MS);
  pinRunning(child.pid, cores);
  const url = (match[1] ?? match[2] ?? '').replace('//localhost', '//127.0.0.1');
  return { definition, child, url, env };
}

/** Tollgate's answer to one request, or an error naming what is wrong with it. */
async function probe(target: RunningTarget, authorization: string): Promise<Response & { text: string }> {
  const response = await fetch(target.url + target.definition.path, { headers: { authorization } });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`${target.definition.label} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  return Object.assign(response, { text });
}

/** The headers of a response as a server would send them again (no per-connection ones). */
function replayableHeaders(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name)) headers[name] = value;
  });
  return headers;
}

async function redisError(url: string): Promise<string | null> {
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

/** Deletes the run's own counters (never anything else: SCAN by its unique prefix). */
async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client: RedisClient = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** Loads every target in turn for `rounds` rounds, each round starting one target later than the last. */
async function measureInTurns(
  targets: RunningTarget[],
  generator: LoadGenerator,
  options: HttpBenchOptions,
  cores: string | null,
): Promise<Row[]> {
  const run = (target: RunningTarget, seconds: number) =>
    generator.run({
      url: target.url,
      path: target.definition.path,
      connections: options.connections,
      seconds,
      cores,
    });
  if (options.warmupSeconds > 0) {
    for (const target of targets) {
      progress(`warming up ${target.definition.id}…`);
      await run(target, options.warmupSeconds);
    }
  }
  const results = new Map<RunningTarget, Round[]>(targets.map((target) => [target, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(round + i) % targets.length] as RunningTarget;
      progress(`round ${round + 1}/${options.rounds}, ${target.definition.id}…`);
      const before = cpuSecondsOf(target.child.pid);
      const result = await run(target, options.seconds);
      const after = cpuSecondsOf(target.child.pid);
      const cpuMicros =
        before === null || after === null || result.requests === 0
          ? null
          : ((after - before) * 1e6) / result.requests;
      results.get(target)?.push({ ...result, cpuMicros });
    }
  }
  return targets.map((target) => {
    const rounds = results.get(target) ?? [];
    return {
      definition: target.definition,
      rounds,
      rate: median(rounds.map((r) => r.rate)),
      p50: median(rounds.map((r) => r.p50)),
      p99: median(rounds.map((r) => r.p99)),
      cpuMicros: rounds.some((r) => r.cpuMicros === null)
        ? null
        : median(rounds.map((r) => r.cpuMicros as number)),
      failures: rounds.reduce((sum, r) => sum + r.failures, 0),
    };
  });
}

/** Runs the HTTP benchmark and returns the markdown of the "HTTP" section (heading included). */
export async function runHttpBench(options: HttpBenchOptions): Promise<string> {
  const startLoad = load();
  const startedAt = new Date();
  const pins = pinning();
  const directory = mkdtempSync(join(tmpdir(), 'tollgate-bench-http-'));
  const keyPrefix = `bench-http-${randomBytes(5).toString('hex')}`;
  const serverUrl = process.env.DATABASE_URL ?? DEFAULT_POSTGRES_URL;
  const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  const notes: string[] = [];

  // Undone in reverse order, at the end or on SIGINT/SIGTERM.
  const cleanups: (() => Promise<void>)[] = [async () => rmSync(directory, { recursive: true, force: true })];
  let cleaning: Promise<void> | undefined;
  const cleanUp = () => {
    cleaning ??= (async () => {
      await stopAllChildren();
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (error) {
          console.error('cleanup:', (error as Error).message);
        }
      }
    })();
    return cleaning;
  };
  installCleanup(cleanUp);

  let rows: Row[] = [];
  const instructions = new Map<TargetId, InstructionCount>();
  let generatorName = '';
  let postgresLabel = 'not used';
  try {
    progress('seeding the databases…');
    const seed = makeServiceTokens(options.tokens);
    const authorizations = seed.tokens.map((token) => `Bearer ${token}`);
    const generator = loadGenerator(directory, authorizations);
    generatorName = generator.name;

    // The embedded default's data directory, migrated and seeded before Tollgate opens it.
    const pglite = join(directory, 'pglite');
    const pgliteMetrics = join(directory, 'pglite-metrics');
    for (const dataDir of [pglite, pgliteMetrics]) {
      const embedded = await createDatabase({ dataDir });
      try {
        await migrateToLatest(embedded.db, { log: () => {} });
        await insertServiceTokens(embedded, seed);
      } finally {
        await embedded.close();
      }
    }

    let postgres: BenchDatabase | null = null;
    try {
      postgres = await openBenchDatabase('postgres', serverUrl);
      const opened = postgres;
      cleanups.push(() => opened.close());
      await insertServiceTokens(postgres.database, seed);
      postgresLabel = postgres.label;
    } catch (error) {
      notes.push(
        `PostgreSQL unavailable at ${serverUrl} (${(error as Error).message}): its rows were skipped.`,
      );
    }
    const redisProblem = await redisError(redisUrl);
    if (redisProblem)
      notes.push(`Redis at ${redisUrl} unreachable (${redisProblem}): its rows were skipped.`);
    else cleanups.push(() => deleteKeys(redisUrl, keyPrefix));

    const context: Context = {
      directory,
      specFile: join(directory, 'reference.json'),
      pglite,
      pgliteMetrics,
      postgresUrl: postgres?.url ?? null,
      redisUrl: redisProblem ? null : redisUrl,
      keyPrefix,
    };
    const chosen = options.targets;
    const wanted = DEFINITIONS.filter((definition) => {
      if (chosen && definition.id !== 'tollgate-memory' && !chosen.includes(definition.id)) return false;
      const needsRedis = ['minimal-redis', 'tollgate-redis', 'tollgate-organization'].includes(definition.id);
      const needsPostgres = definition.id === 'tollgate-redis' || definition.id === 'tollgate-organization';
      return !(needsRedis && context.redisUrl === null) && !(needsPostgres && context.postgresUrl === null);
    });

    // Tollgate first: the reference servers replay its answer. Each group starts at once (start-up dominates
    // a smoke run), all on the target core.
    progress('starting Tollgate…');
    const running = await Promise.all(
      wanted
        .filter((d) => d.id.startsWith('tollgate-'))
        .map((definition) => startTarget(definition, context, pins.target)),
    );
    const memory = running.find((target) => target.definition.id === 'tollgate-memory') as RunningTarget;
    const answer = await probe(memory, authorizations[0] as string);
    if (!answer.headers.get('x-ratelimit-limit')) throw new Error('no rate-limit headers on /tokens/self');
    for (const target of running) await probe(target, authorizations[1 % authorizations.length] as string);
    const spec: ReferenceSpec = {
      headers: replayableHeaders(answer),
      body: answer.text,
      tokens: seed.rows.map((row) => ({
        hash: row.hash,
        tokenId: row.id,
        organizationId: row.organizationId,
      })),
      redis: { url: redisUrl, keyPrefix },
    };
    writeFileSync(context.specFile, JSON.stringify(spec), { mode: 0o600 });

    progress('starting the reference servers…');
    const references = await Promise.all(
      wanted
        .filter((d) => !d.id.startsWith('tollgate-'))
        .map((definition) => startTarget(definition, context, pins.target)),
    );
    for (const target of references) {
      const { definition } = target;
      const reply = await probe(target, authorizations[2 % authorizations.length] as string);
      if (reply.text !== answer.text) throw new Error(`${definition.id} does not answer Tollgate's body`);
      const missing = Object.keys(spec.headers).filter(
        (name) => !COMPUTED_HEADERS.includes(name) && reply.headers.get(name) !== spec.headers[name],
      );
      if (missing.length > 0) throw new Error(`${definition.id} differs in headers: ${missing.join(', ')}`);
      running.push(target);
    }
    // Rows in the order of DEFINITIONS: references first.
    running.sort((a, b) => DEFINITIONS.indexOf(a.definition) - DEFINITIONS.indexOf(b.definition));

    rows = await measureInTurns(running, generator, options, pins.load);
    progress('stopping the targets…');
    await Promise.all(running.map((target) => target.child.stop()));

    if (options.instructions) {
      const missing = callgrindAvailable();
      if (missing) notes.push(`--instructions: ${missing}; not measured.`);
      else {
        // Only targets this run could start (Redis and PostgreSQL may be missing).
        const counted = (options.instructionTargets ?? INSTRUCTION_TARGETS).filter((id) =>
          wanted.some((d) => d.id === id),
        );
        for (const id of counted) {
          const definition = DEFINITIONS.find((d) => d.id === id) as TargetDefinition;
          progress(`${id} under callgrind (slow)…`);
          const outFile = join(directory, `callgrind.${id}`);
          const target = await startTarget(definition, context, pins.target, outFile);
          try {
            instructions.set(
              id,
              await countInstructions(
                { child: target.child, env: target.env, outFile, url: target.url, path: definition.path },
                generator,
                {
                  warmupSeconds: options.instructionsWarmupSeconds,
                  seconds: options.instructionsSeconds,
                  connections: Math.min(options.connections, 10),
                  cores: pins.load,
                },
                (message) => progress(`${id} under callgrind: ${message}`),
              ),
            );
          } catch (error) {
            throw new Error(
              `${(error as Error).message}\n${id} under callgrind said:\n${target.child.output().slice(-3_000)}`,
            );
          } finally {
            await target.child.stop(10_000);
          }
        }
      }
    }
  } finally {
    progress('cleaning up…');
    await cleanUp();
    progress('done.');
  }

  return report({
    options,
    rows,
    instructions,
    notes,
    startedAt,
    startLoad,
    endLoad: load(),
    pinning: pins.description,
    generator: generatorName,
    postgres: postgresLabel,
    redis: redisUrl,
  });
}

// ------------------------------------------------------------------------------------------------- report

function report(run: {
  options: HttpBenchOptions;
  rows: Row[];
  instructions: Map<TargetId, InstructionCount>;
  notes: string[];
  startedAt: Date;
  startLoad: string;
  endLoad: string;
  pinning: string;
  generator: string;
  postgres: string;
  redis: string;
}): string {
  const { options, rows } = run;
  const byId = new Map(rows.map((row) => [row.definition.id, row]));
  const bare = byId.get('bare-node');
  const mark = (ok: boolean) => (ok ? '✓' : '✗');

  const table = [
    '| target | req/s (median) | ÷ bare node:http | ÷ minimal, same store | p50 | p99 | CPU per request (all threads) | ÷ minimal | failures | every round (req/s) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => {
      const minimal = row.definition.minimal ? byId.get(row.definition.minimal) : undefined;
      const isMinimal = row.definition.id.startsWith('minimal-');
      const ratio = minimal ? `**${fmt(row.rate / minimal.rate, 2)}**` : isMinimal ? '1' : '—';
      const cpu = row.cpuMicros === null ? '—' : `${fmt(row.cpuMicros, 1)} µs`;
      const cpuRatio =
        minimal && row.cpuMicros !== null && minimal.cpuMicros !== null
          ? fmt(row.cpuMicros / minimal.cpuMicros, 2)
          : isMinimal
            ? '1'
            : '—';
      return `| ${row.definition.label} | ${fmt(row.rate)} | ${bare ? fmt(row.rate / bare.rate, 2) : '—'} | ${ratio} | ${fmt(row.p50, 2)} ms | ${fmt(row.p99, 2)} ms | ${cpu} | ${cpuRatio} | ${row.failures} | ${row.rounds.map((r) => fmt(r.rate)).join(' · ')} |`;
    }),
  ].join('\n');

  const goals: string[][] = [];
  for (const row of rows) {
    const minimalId = row.definition.minimal;
    const minimal = minimalId ? byId.get(minimalId) : undefined;
    if (!minimal || row.definition.goal === undefined) continue;
    const ratio = row.rate / minimal.rate;
    goals.push([
      `${row.definition.label}: req/s ÷ ${minimalId}`,
      `≥ ${row.definition.goal}`,
      fmt(ratio, 2),
      mark(ratio >= row.definition.goal),
    ]);
    if (row.cpuMicros !== null && minimal.cpuMicros !== null) {
      const cpuFactor = row.cpuMicros / minimal.cpuMicros;
      goals.push([
        `${row.definition.label}: CPU per request (all threads) ÷ ${minimalId}’s — the instructions goal, off valgrind`,
        `≤ ${GOALS.instructionsFactor}`,
        `${fmt(cpuFactor, 2)} (${fmt(row.cpuMicros, 1)} µs vs ${fmt(minimal.cpuMicros, 1)} µs)`,
        mark(cpuFactor <= GOALS.instructionsFactor),
      ]);
    }
    const factor = row.p99 / minimal.p99;
    goals.push([
      `${row.definition.label}: p99 ÷ ${minimalId}’s`,
      `≤ ${GOALS.p99Factor}`,
      `${fmt(factor, 2)} (${fmt(row.p99, 2)} ms vs ${fmt(minimal.p99, 2)} ms)`,
      mark(factor <= GOALS.p99Factor),
    ]);
  }
  const memoryRow = byId.get('tollgate-memory');
  const metricsRow = byId.get('tollgate-memory-metrics');
  if (memoryRow && metricsRow) {
    const ratio = metricsRow.rate / memoryRow.rate;
    goals.push([
      'issue 16: req/s with metrics served ÷ without (embedded default)',
      `≥ ${METRICS_GOAL}`,
      fmt(ratio, 3),
      mark(ratio >= METRICS_GOAL),
    ]);
  }
  const tollgateCount = run.instructions.get('tollgate-memory');
  const metricsCount = run.instructions.get('tollgate-memory-metrics');
  if (tollgateCount && metricsCount) {
    const extra = metricsCount.perRequest / tollgateCount.perRequest - 1;
    goals.push([
      'issue 16: instructions per request added by serving metrics',
      '≤ 5 %',
      `${fmt(extra * 100, 1)} % (${fmt(metricsCount.perRequest)} vs ${fmt(tollgateCount.perRequest)})`,
      mark(extra <= 1 - METRICS_GOAL),
    ]);
  }
  const instructionGoals = (['tollgate-memory', 'tollgate-redis'] as const).flatMap((id) => {
    const count = run.instructions.get(id);
    const minimalId = DEFINITIONS.find((d) => d.id === id)?.minimal;
    const minimal = minimalId ? run.instructions.get(minimalId) : undefined;
    if (!count || !minimal) return [];
    const factor = count.perRequest / minimal.perRequest;
    return [
      [
        `instructions per request, ${id} ÷ ${minimalId}`,
        `≤ ${GOALS.instructionsFactor}`,
        fmt(factor, 2),
        mark(factor <= GOALS.instructionsFactor),
      ],
    ];
  });
  if (instructionGoals.length > 0) goals.push(...instructionGoals);
  else {
    goals.push([
      'instructions per request ÷ minimal',
      `≤ ${GOALS.instructionsFactor}`,
      'not measured (--instructions)',
      '—',
    ]);
  }
  const goalTable = [
    '| target (issue 17) | goal | this run | met |',
    '|---|---|---|---|',
    ...goals.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');

  const instructionTable =
    run.instructions.size === 0
      ? ''
      : `
### Instructions per request (callgrind, main thread)

${[
  '| target | instructions per request (net of idle) | ÷ minimal | gross (idle included) | requests counted | idle main thread (subtracted) |',
  '|---|---|---|---|---|---|',
  ...[...run.instructions].map(([id, count]) => {
    const definition = DEFINITIONS.find((d) => d.id === id);
    const own = id.startsWith('minimal-') ? count : run.instructions.get(definition?.minimal ?? id);
    const label = definition?.label ?? id;
    const ratio = own ? fmt(count.perRequest / own.perRequest, 2) : '—';
    return `| ${label} | ${fmt(count.perRequest / 1000)}k | ${ratio} | ${fmt(count.grossPerRequest / 1000)}k | ${fmt(count.requests)} in ${fmt(count.loadSeconds, 1)} s | ${fmt(count.idlePerSecond / 1000)}k/s |`;
  }),
].join('\n')}

Each target runs under \`valgrind --tool=callgrind --separate-threads=yes --instr-atstart=no\`, is warmed up for
${options.instructionsWarmupSeconds} s of load uninstrumented, then instrumented (\`callgrind_control -i on\`) and loaded ${options.instructionsSeconds} s more, not counted,
while valgrind re-translates the hot code. Then an idle window and a load window (wrk, ${Math.min(options.connections, 10)} connections) of
${options.instructionsSeconds} s each are zeroed and dumped; the idle rate (timers: the webhook poll, the usage flush) is subtracted from the
load window before dividing by the requests answered.
`;

  const smoke =
    options.rounds < MIN_ROUNDS
      ? `\n> **Smoke run** (${options.rounds} round(s) of ${options.seconds} s, fewer than the ${MIN_ROUNDS} the issue asks for): it shows the
> instrument works, not where Tollgate stands. Judge the targets on a full run (\`pnpm bench --http\`) on a quiet machine.\n`
      : '';

  return `## HTTP

Issue 17, item 1: generated by \`pnpm bench --http\` (apps/api/bench/http.ts). Each target is a process of its own,
pinned to one core; the load generator is another process on another core; the targets take turns, round after
round (each round starting one target later), and each row gives its median round, with ratios to the reference
rows of the same run. ${options.tokens} service tokens of one enterprise organisation (custom limits far above the load,
so every request is counted in both windows and none refused), presented round-robin, a different
Authorization header on every request. Tollgate runs its production entry point (\`src/main.ts\`) configured
by environment only (\`LOG_LEVEL=warn\`); the bare servers replay the bytes Tollgate answered to
/tokens/self, and the minimal servers (apps/api/bench/targets/minimal.ts) compute the same rate-limit headers and
send the same body. Redis and PostgreSQL are not pinned: they share the cores with the rest, which is why the
Redis rows are held against a minimal server that also counts in Redis. Read the ratios, not the absolute numbers.
${smoke}
- Date: ${run.startedAt.toISOString()}
- CPU: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} logical CPUs, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM; Node ${process.version}
- Load average: ${run.startLoad} at the start, ${run.endLoad} at the end (the machine is shared)
- Load: ${run.generator}, 1 thread, ${options.connections} connections; ${options.rounds} round(s) of ${options.seconds} s per target after ${options.warmupSeconds} s of warm-up; ${run.pinning}
- Database: ${run.postgres} (a throwaway database, dropped afterwards) and PGlite in a temporary data directory; Redis: ${run.redis} (keys under a unique prefix, deleted afterwards)

${table}

p50 and p99 are the medians over the rounds of each round's percentile (wrk's latency distribution). CPU per request is
the target process's CPU time (user + system, every thread, from /proc) during a round over the requests it answered,
median over the rounds: it moves far less with the machine's other load than req/s does, and it counts the work a
target hands to other threads (the embedded database's worker thread), which callgrind's main-thread figure does not.
${instructionTable}
${goalTable}
${run.notes.length ? `\n${run.notes.map((note) => `- ${note}`).join('\n')}\n` : ''}
### Reproduce

\`pnpm bench --http [flags]\` (only this section; \`pnpm bench\` runs the verification benchmark too, with the same flags):

| flag | default | what |
|---|---|---|
| \`--rounds N\` | ${DEFAULTS.rounds} | rounds; each target is loaded once per round (fewer than ${MIN_ROUNDS}: labelled a smoke run) |
| \`--duration S\` | ${DEFAULTS.seconds} | seconds of load per target and round |
| \`--warmup S\` | ${DEFAULTS.warmupSeconds} | seconds of load per target before the first round |
| \`--connections N\` | ${DEFAULTS.connections} | connections of the load generator (1 thread) |
| \`--tokens N\` | ${DEFAULTS.tokens} | tokens, presented round-robin |
| \`--instructions\` | off | also count instructions per request under callgrind (minutes per target) |
| \`--instructions-targets a,b\` | ${INSTRUCTION_TARGETS.join(',')} | the targets counted under callgrind |
| \`--instructions-warmup S\` | ${DEFAULTS.instructionsWarmupSeconds} | uninstrumented warm-up under valgrind |
| \`--instructions-duration S\` | ${DEFAULTS.instructionsSeconds} | each counted window (instrumented warm-up, idle, load) |

A smoke run: \`pnpm bench --http --rounds 2 --duration 2 --warmup 1\` (under a minute). \`BENCH_QUICK=1\` shortens every
default. \`DATABASE_URL\` names the PostgreSQL server the throwaway database is created on (default
${DEFAULT_POSTGRES_URL}); \`BENCH_REDIS_URL\` (else \`REDIS_URL\`, else ${DEFAULT_REDIS_URL}) the Redis.
`;
}
