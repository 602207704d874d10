import { createDatabase, type DatabaseHandle, isDatabaseUnavailableError } from '@tollgate/db';
import { Redis } from 'ioredis';
import { CompiledQuery } from 'kysely';
import type { Logger } from 'pino';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
} from 'rate-limiter-flexible';

/** Where the counters live (§1): Redis when REDIS_URL is set, else PostgreSQL with DATABASE_URL, else memory. */
export type RateLimitStoreConfig =
  | { kind: 'memory' }
  | { kind: 'redis'; url: string }
  /** `databaseUrl`: the store opens a small pool of its own; `database`: an open handle it does not close. */
  | { kind: 'postgres'; databaseUrl: string }
  | { kind: 'postgres'; database: DatabaseHandle };

export type RateLimitStoreKind = RateLimitStoreConfig['kind'];

export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  durationSeconds: number;
}

/** Makes rate-limiter-flexible limiters that all count in one store; the rest of the code is store-agnostic. */
export interface RateLimitStore {
  kind: RateLimitStoreKind;
  createLimiter(options: LimiterOptions): RateLimiterAbstract;
  /** Connects (Redis) so that the first requests do not fall to the insurance limiter; never throws. */
  start(): Promise<void>;
  /** Resolves when the store answers; rejects (within its command timeout) when it cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Connection and command timeouts: an unreachable store must cost milliseconds, never hang a request. */
const REDIS_CONNECT_TIMEOUT_MS = 1_000;
const REDIS_COMMAND_TIMEOUT_MS = 500;
const POSTGRES_POOL_SIZE = 4;
const POSTGRES_CONNECTION_TIMEOUT_MS = 1_000;
/** Counting a request is two indexed upserts: anything slower is an outage, for the insurance limiter. */
const POSTGRES_STATEMENT_TIMEOUT_MS = 500;
/**
 * After PostgreSQL could not be reached, how long requests count in memory without trying it: a server that
 * hangs would otherwise cost every request a timeout of its own before the insurance limiter takes over.
 */
const POSTGRES_RETRY_AFTER_MS = 1_000;
/** Store errors are logged at most this often, so an outage is visible without flooding the log. */
const ERROR_LOG_INTERVAL_MS = 30_000;

export function rateLimitStoreConfigFromEnv(env: {
  REDIS_URL?: string | undefined;
  DATABASE_URL?: string | undefined;
}): RateLimitStoreConfig {
  if (env.REDIS_URL) return { kind: 'redis', url: env.REDIS_URL };
  if (env.DATABASE_URL) return { kind: 'postgres', databaseUrl: env.DATABASE_URL };
  return { kind: 'memory' };
}

/**
 * Opens the store of `config`.
 *
 * When a shared store (Redis, PostgreSQL) fails — unreachable, timed out — each limiter falls back to an
 * in-memory insurance limiter with the same limits (rate-limiter-flexible's `insuranceLimiter`): requests
 * keep being answered and stay limited, per process instead of across processes, and the failure is
 * logged as a warning. We chose this over answering 503 UNAVAILABLE because the counters are a safeguard,
 * not the product: an outage of Redis alone should not take the API down with it, and nothing is ever let
 * through unlimited. (With the PostgreSQL store an unreachable database fails the request anyway.)
 */
export function createRateLimitStore(config: RateLimitStoreConfig, log: Logger): RateLimitStore {
  const warn = throttledWarning(log);
  switch (config.kind) {
    case 'memory':
      return {
        kind: 'memory',
        createLimiter: (options) => memoryLimiter(options),
        start: async () => {},
        ping: async () => {},
        close: async () => {},
      };
    case 'redis':
      return redisStore(config.url, warn);
    case 'postgres':
      return postgresStore(config, warn);
  }
}

function memoryLimiter(options: LimiterOptions): RateLimiterMemory {
  return new RateLimiterMemory({
    keyPrefix: options.keyPrefix,
    points: options.points,
    duration: options.durationSeconds,
  });
}

function redisStore(url: string, warn: (error: unknown) => void): RateLimitStore {
  const redis = new Redis(url, {
    lazyConnect: true,
    // Without a connection, commands fail at once (to the insurance limiter) instead of queueing.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    // Keep trying to come back, at most every 2 s.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // Every request counts two windows, and concurrent requests count at once: the commands issued in one
    // tick of the event loop go to Redis in one write instead of one write each.
    enableAutoPipelining: true,
  });
  redis.on('error', warn);
  let closed = false;
  return {
    kind: 'redis',
    createLimiter: (options) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: options.keyPrefix,
        points: options.points,
        duration: options.durationSeconds,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memoryLimiter(options),
      }),
    async start() {
      try {
        await redis.connect();
      } catch (error) {
        // ioredis keeps reconnecting in the background; the insurance limiter covers until then.
        warn(error);
      }
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}

function postgresStore(
  config: Extract<RateLimitStoreConfig, { kind: 'postgres' }>,
  warn: (error: unknown) => void,
): RateLimitStore {
  // A small pool of its own, so that counting requests never waits behind the product's queries (and the
  // other way round), with a short connection timeout.
  const owned =
    'databaseUrl' in config
      ? createDatabase({
          databaseUrl: config.databaseUrl,
          poolSize: POSTGRES_POOL_SIZE,
          connectionTimeoutMillis: POSTGRES_CONNECTION_TIMEOUT_MS,
          statementTimeoutMillis: POSTGRES_STATEMENT_TIMEOUT_MS,
          // Its connections' errors (one dropping while idle or between statements) are the store failing.
          onError: warn,
        })
      : undefined;
  const database = owned ?? Promise.resolve((config as { database: DatabaseHandle }).database);
  let unreachableUntilMs = 0;
  // rate-limiter-flexible speaks to a pg.Pool through `query({ text, values })`; this gives it the same
  // through Kysely, which reaches the pg pool (or PGlite, in tests) underneath.
  const storeClient = {
    async query(query: { text: string; values?: unknown[] }) {
      if (Date.now() < unreachableUntilMs) throw new Error('rate-limit store unreachable a moment ago');
      try {
        const { db } = await database;
        const result = await db.executeQuery(CompiledQuery.raw(query.text, query.values ?? []));
        return { rows: result.rows };
      } catch (error) {
        if (isDatabaseUnavailableError(error)) unreachableUntilMs = Date.now() + POSTGRES_RETRY_AFTER_MS;
        warn(error);
        throw error;
      }
    },
  };
  return {
    kind: 'postgres',
    createLimiter: (options) =>
      new RateLimiterPostgres({
        storeClient,
        storeType: 'pool',
        // Created by the migration 2026_11_23_000600_create_rate_limits (key, points, expire).
        tableName: 'rate_limits',
        tableCreated: true,
        keyPrefix: options.keyPrefix,
        points: options.points,
        duration: options.durationSeconds,
        insuranceLimiter: memoryLimiter(options),
      }),
    start: async () => {},
    ping: async () => (await database).ping(),
    async close() {
      if (owned) await (await owned).close();
    },
  };
}

function throttledWarning(log: Logger): (error: unknown) => void {
  let lastMs = 0;
  let suppressed = 0;
  return (error) => {
    const nowMs = Date.now();
    if (nowMs - lastMs < ERROR_LOG_INTERVAL_MS) {
      suppressed++;
      return;
    }
    lastMs = nowMs;
    log.warn(
      { err: error, suppressed },
      'rate-limit store unreachable: limiting each process in memory until it is back',
    );
    suppressed = 0;
  };
}
