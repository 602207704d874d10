import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ERROR_CODES, type ErrorCode } from '@tollgate/domain';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What the gauges read when they are scraped: existing state, through small getters, never a hot-path edit. */
export interface MetricsSources {
  usage?: {
    readonly pendingTokens: number;
    readonly lastFlushAtMs: number | null;
    readonly droppedRequests: number;
  };
  webhooks?: { outboxStats(): Promise<{ depth: number; oldestAgeSeconds: number | null }> };
  pool?: () => { total: number; idle: number; waiting: number } | null;
}

/** The label of requests that matched no route: never the raw path, which may hold an id or a token. */
export const UNMATCHED_ROUTE = 'unmatched';

/** A count bumped on the request path; read by its prom-client counter when scraped. */
export class HotCount {
  value = 0;

  inc(): void {
    this.value++;
  }
}

/**
 * A prom-client counter whose values live in {@link HotCount}s, one per label value, copied in when scraped.
 * A label value is shown once it has counted something, or from the start when `always`.
 */
function hotCounter(
  registry: Registry,
  options: {
    name: string;
    help: string;
    label: string;
    counts: () => readonly (readonly [string, HotCount, boolean])[];
  },
): Counter<string> {
  return new Counter({
    name: options.name,
    help: options.help,
    labelNames: [options.label],
    registers: [registry],
    collect() {
      this.reset();
      for (const [value, count, always] of options.counts()) {
        if (always || count.value > 0) this.inc({ [options.label]: value }, count.value);
      }
    },
  });
}

/**
 * The Prometheus metrics of §17, one Registry per process (tests build several servers in one process, and
 * prom-client's global registry would mix them). Labels hold route templates, methods, statuses, §7 codes and
 * fixed words only: never a token, an id or a raw path.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'tollgate_http_requests_total',
    help: 'HTTP requests answered, by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'tollgate_http_request_duration_seconds',
    help: 'Time from receiving a request to answering it, by route template and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  // Counted on every request: plain numbers, handed to prom-client only when scraped (collect), so that the
  // hot path pays one addition instead of a labelled counter's bookkeeping.
  readonly #verificationOk = new HotCount();
  readonly #verificationRefused = new Map<ErrorCode, HotCount>(
    ERROR_CODES.map((code) => [code, new HotCount()]),
  );
  readonly tokenCacheHit = new HotCount();
  readonly tokenCacheMiss = new HotCount();
  readonly rateLimitAllowed = new HotCount();
  readonly rateLimitLimited = new HotCount();

  readonly verifications = hotCounter(this.registry, {
    name: 'tollgate_token_verifications_total',
    help: 'Bearer token verifications, by outcome: OK or the §7 code of the refusal',
    label: 'outcome',
    // Every outcome that happened, and OK from the start (rate() and alerts see a series before the first).
    counts: () => [
      ['OK', this.#verificationOk, true],
      ...[...this.#verificationRefused].map(([code, count]) => [code, count, false] as const),
    ],
  });
  readonly tokenCache = hotCounter(this.registry, {
    name: 'tollgate_token_cache_lookups_total',
    help: 'Token cache lookups by result (hit: no database access)',
    label: 'result',
    counts: () => [
      ['hit', this.tokenCacheHit, true],
      ['miss', this.tokenCacheMiss, true],
    ],
  });
  readonly rateLimitDecisions = hotCounter(this.registry, {
    name: 'tollgate_rate_limit_decisions_total',
    help: 'Requests counted against the §6 limits, by decision',
    label: 'decision',
    counts: () => [
      ['allowed', this.rateLimitAllowed, true],
      ['limited', this.rateLimitLimited, true],
    ],
  });
  readonly rateLimitFallbacks = new Counter({
    name: 'tollgate_rate_limit_store_fallbacks_total',
    help: 'Counts made by the in-memory insurance limiter because the shared store (Redis, PostgreSQL) failed',
    registers: [this.registry],
  });
  readonly webhookDeliveries = new Counter({
    name: 'tollgate_webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  /** Where /metrics is served once {@link startMetricsServer} ran (METRICS_PORT 0 picks a free port). */
  address: AddressInfo | undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tollgate_' });
    // Every known result at 0 from the start, so that rate() and alerts see a series before the first event.
    for (const result of ['succeeded', 'retrying', 'failed']) this.webhookDeliveries.inc({ result }, 0);
  }

  /** The rate limiter's decisions and store fallbacks, counted. */
  readonly rateLimitObserver = {
    decided: (allowed: boolean) => (allowed ? this.rateLimitAllowed : this.rateLimitLimited).inc(),
    storeFellBack: () => this.rateLimitFallbacks.inc(),
  };

  /** Counts a verification: `null` for a success, else the §7 code it was refused with. */
  countVerification(code: ErrorCode | null): void {
    if (code === null) this.#verificationOk.inc();
    else this.#verificationRefused.get(code)?.inc();
  }

  /** Registers the gauges that read state when scraped; called once the services exist. */
  observe(sources: MetricsSources): void {
    const { usage, webhooks, pool } = sources;
    if (usage) {
      new Gauge({
        name: 'tollgate_usage_buffer_tokens',
        help: 'Tokens with usage (last use, request counts) buffered and not yet written to the database',
        registers: [this.registry],
        collect() {
          this.set(usage.pendingTokens);
        },
      });
      new Gauge({
        name: 'tollgate_usage_buffer_flush_lag_seconds',
        help: 'Seconds since the usage buffer was last written to the database (0 before the first flush)',
        registers: [this.registry],
        collect() {
          const last = usage.lastFlushAtMs;
          this.set(last === null ? 0 : (Date.now() - last) / 1000);
        },
      });
      new Counter({
        name: 'tollgate_usage_buffer_dropped_requests_total',
        help: 'Requests whose usage was not counted because the buffer was full while flushes failed',
        registers: [this.registry],
        collect() {
          this.reset();
          this.inc(usage.droppedRequests);
        },
      });
    }
    if (webhooks) {
      const stats = () => webhooks.outboxStats().catch(() => null);
      new Gauge({
        name: 'tollgate_webhook_outbox_depth',
        help: 'Webhook deliveries waiting in the outbox (pending or retrying)',
        registers: [this.registry],
        async collect() {
          const current = await stats();
          if (current) this.set(current.depth);
        },
      });
      new Gauge({
        name: 'tollgate_webhook_outbox_oldest_age_seconds',
        help: 'Age of the oldest undelivered webhook delivery (0 when there is none)',
        registers: [this.registry],
        async collect() {
          const current = await stats();
          if (current) this.set(current.oldestAgeSeconds ?? 0);
        },
      });
    }
    if (pool) {
      new Gauge({
        name: 'tollgate_database_pool_connections',
        help: 'PostgreSQL pool connections by state (total, idle, waiting clients)',
        labelNames: ['state'] as const,
        registers: [this.registry],
        collect() {
          const current = pool();
          if (!current) return;
          this.set({ state: 'total' }, current.total);
          this.set({ state: 'idle' }, current.idle);
          this.set({ state: 'waiting' }, current.waiting);
        },
      });
    }
  }

  /**
   * Counts every answered request of a server by route template. One `onResponse` hook, added only when metrics
   * are served (METRICS_PORT): the HTTP benchmark measures what it costs.
   */
  instrument(app: FastifyInstance): void {
    const { httpRequests, httpDuration } = this;
    // The children per (route, method, status), made once: prom-client's labels() hashes its values each call.
    // Bounded: routes and methods are the server's own, statuses a few dozen.
    const children = new Map<
      string,
      { count: { inc(): void }; duration: { observe(value: number): void } }
    >();
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      const method = request.method;
      const status = reply.statusCode;
      const key = `${status} ${method} ${route}`;
      let child = children.get(key);
      if (child === undefined) {
        child = {
          count: httpRequests.labels(route, method, String(status)),
          duration: httpDuration.labels(route, method),
        };
        children.set(key, child);
      }
      child.count.inc();
      child.duration.observe(reply.elapsedTime / 1000);
      done();
    });
  }
}

/** The /metrics listener: its own port and host (METRICS_PORT, METRICS_HOST), never the public one. */
export async function startMetricsServer(
  metrics: Metrics,
  options: { port: number; host: string },
): Promise<{ server: Server; address: AddressInfo; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: see /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  metrics.address = server.address() as AddressInfo;
  return {
    server,
    address: metrics.address,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
