import { type Database, type DatabaseHandle, webhookOutboxStats } from '@tollgate/db';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { loadTokenRecord, TokenCache } from './auth/token-cache.ts';
import { UsageBuffer } from './auth/usage-buffer.ts';
import { type Clock, systemClock } from './clock.ts';
import { LeakReportJob, processLeakReports } from './core/leak-report-job.ts';
import { OrganizationCache } from './core/organization-cache.ts';
import type { Env } from './env.ts';
import { Invalidation } from './invalidation.ts';
import { Metrics, startMetricsServer } from './metrics.ts';
import { RateLimiterService, type RateLimiterServiceOptions } from './ratelimit/limiter.ts';
import { rateLimitStoreConfigFromEnv } from './ratelimit/store.ts';
import { WebhookSecretBox } from './webhooks/secrets.ts';
import { WebhookWorker } from './webhooks/worker.ts';

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
  /** Organisations by id, invalidated with the token cache: GET /organization and sessions read here. */
  organizations: OrganizationCache;
  usage: UsageBuffer;
  /** The request limits of §6 and the failed-authentication limit, in Redis, PostgreSQL or memory. */
  rateLimits: RateLimiterService;
  /** Encrypts and decrypts webhook signing secrets at rest. */
  webhookSecrets: WebhookSecretBox;
  /** Sends webhook deliveries from the outbox and runs the token.expiring job. */
  webhooks: WebhookWorker;
  /** The Prometheus metrics of §17 (served on METRICS_PORT when set); one registry per process. */
  metrics: Metrics;
  /** Revokes the tokens of stored leak reports (§13), on a 1 s tick in every process. */
  leakReports: LeakReportJob;
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
  /**
   * Replaces what the environment says about rate limits (store, tier numbers, key prefix); tests give small
   * limits here. Default: the store of REDIS_URL / DATABASE_URL / memory and TOLLGATE_RATE_LIMIT_OVERRIDE.
   */
  rateLimits?: RateLimiterServiceOptions;
  /** Whether start() runs the webhook delivery loop (default true); tests turn it off and call runOnce(). */
  webhookWorker?: boolean;
  /** Whether start() runs the leak-report job's 1 s tick (default true); tests turn it off and kick() it. */
  leakReportJob?: boolean;
}): ServicesRuntime {
  const clock = deps.clock ?? systemClock;
  const metrics = new Metrics();
  const invalidation = new Invalidation(deps.database, deps.log);
  const tokenCache = new TokenCache({
    invalidation,
    clock,
    reload: (hash) => loadTokenRecord(deps.database.db, hash),
  });
  const organizations = new OrganizationCache({ db: deps.database.db, clock, invalidation });
  const usage = new UsageBuffer({
    db: deps.database.db,
    log: deps.log,
    clock,
    flushIntervalMs: deps.usageFlushIntervalMs ?? 5_000,
  });
  const webhookSecrets = new WebhookSecretBox({
    sessionSecret: deps.env.SESSION_SECRET,
    db: deps.database.db,
  });
  const webhooks = new WebhookWorker({
    db: deps.database.db,
    log: deps.log,
    clock,
    secrets: webhookSecrets,
    allowPrivateNetworks: deps.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    onAttempt: (result) => metrics.webhookDeliveries.labels(result).inc(),
  });
  const rateLimits = new RateLimiterService(
    deps.rateLimits ?? {
      ...deps.env.TOLLGATE_RATE_LIMIT_OVERRIDE,
      store: rateLimitStoreConfigFromEnv(deps.env),
    },
    deps.log,
    metrics.rateLimitObserver,
  );
  const db = deps.database.db;
  metrics.observe({
    usage,
    webhooks: { outboxStats: () => webhookOutboxAge(db) },
    pool: () => deps.database.poolStats?.() ?? null,
  });
  let metricsServer: { close(): Promise<void> } | undefined;
  const leakReports = new LeakReportJob({ log: deps.log, run: () => processLeakReports(services) });
  const services: ServicesRuntime = {
    env: deps.env,
    database: deps.database,
    db: deps.database.db,
    log: deps.log,
    clock,
    invalidation,
    tokenCache,
    organizations,
    usage,
    rateLimits,
    webhookSecrets,
    webhooks,
    metrics,
    leakReports,
    async start() {
      if (deps.env.METRICS_PORT !== undefined) {
        metricsServer = await startMetricsServer(metrics, {
          port: deps.env.METRICS_PORT,
          host: deps.env.METRICS_HOST,
        });
      }
      await invalidation.start();
      await rateLimits.start();
      usage.start();
      if (deps.webhookWorker !== false) webhooks.start();
      if (deps.leakReportJob !== false) {
        leakReports.start();
        // Reports another process stored but did not get to (it stopped, or the database went away).
        leakReports.kick();
      }
    },
    async stop() {
      await leakReports.stop();
      await webhooks.stop();
      await usage.stop();
      await invalidation.stop();
      await rateLimits.close();
      await metricsServer?.close();
    },
  };
  return services;
}

/** The outbox's depth and the age of its oldest undelivered delivery, read when metrics are scraped. */
async function webhookOutboxAge(db: Kysely<Database>) {
  const { depth, oldestCreatedAt } = await webhookOutboxStats(db);
  const oldest = oldestCreatedAt?.getTime() ?? null;
  return { depth, oldestAgeSeconds: oldest === null ? null : Math.max(0, (Date.now() - oldest) / 1000) };
}
