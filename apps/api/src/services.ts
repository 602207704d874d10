import type { Database, DatabaseHandle } from '@tollgate/db';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { TokenCache } from './auth/token-cache.ts';
import { UsageBuffer } from './auth/usage-buffer.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Env } from './env.ts';
import { Invalidation } from './invalidation.ts';

/**
 * Everything a procedure, the REST facade or the CLI needs, built once per process. Tests build their own
 * with a test database and a manual clock.
 */
export interface Services {
  env: Env;
  database: DatabaseHandle;
  db: Kysely<Database>;
  log: Logger;
  clock: Clock;
  invalidation: Invalidation;
  tokenCache: TokenCache;
  usage: UsageBuffer;
}

export interface ServicesRuntime extends Services {
  /** Starts background work: invalidation listener, usage flushing. */
  start(): Promise<void>;
  /** Stops background work and flushes what is buffered. */
  stop(): Promise<void>;
}

export function createServices(deps: {
  env: Env;
  database: DatabaseHandle;
  log: Logger;
  clock?: Clock;
  usageFlushIntervalMs?: number;
}): ServicesRuntime {
  const clock = deps.clock ?? systemClock;
  const invalidation = new Invalidation(deps.database, deps.log);
  const tokenCache = new TokenCache({ invalidation, clock });
  const usage = new UsageBuffer({
    db: deps.database.db,
    log: deps.log,
    clock,
    flushIntervalMs: deps.usageFlushIntervalMs ?? 5_000,
  });
  return {
    env: deps.env,
    database: deps.database,
    db: deps.database.db,
    log: deps.log,
    clock,
    invalidation,
    tokenCache,
    usage,
    async start() {
      await invalidation.start();
      usage.start();
    },
    async stop() {
      await usage.stop();
      await invalidation.stop();
    },
  };
}
