import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics } from '../src/metrics.ts';
import { RateLimiterService } from '../src/ratelimit/limiter.ts';
import { buildServer } from '../src/server.ts';
import { createTestHarness, type TestHarness } from './helpers/harness.ts';

/** §17: /metrics on its own listener, the series an operator needs, and no secret or id in any label. */
describe('metrics (§17)', () => {
  let h: TestHarness;
  let app: FastifyInstance;
  let token: string;
  let tokenId: string;

  beforeAll(async () => {
    h = await createTestHarness({ env: { METRICS_PORT: '0' } });
    app = await buildServer({ services: h.services, webDist: '/nonexistent' });
    const org = await h.seedOrganization();
    const issued = await h.issueToken({
      organizationId: org.id,
      subjectUserId: org.users.admin.id,
      scopes: ['tokens:read', 'repositories:read'],
    });
    token = issued.token;
    tokenId = issued.id;
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  async function scrape(): Promise<string> {
    const address = h.services.metrics.address;
    if (!address) throw new Error('the metrics listener did not start');
    const response = await fetch(`http://127.0.0.1:${address.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    return response.text();
  }

  it('serves the series of §17 after some traffic, with route templates and codes as labels only', async () => {
    const bearer = { authorization: `Bearer ${token}` };
    for (let n = 0; n < 3; n++) {
      expect((await app.inject({ url: '/api/v1/repositories', headers: bearer })).statusCode).toBe(200);
    }
    expect((await app.inject({ url: `/api/v1/tokens/${tokenId}`, headers: bearer })).statusCode).toBe(200);
    expect(
      (await app.inject({ url: '/api/v1/tokens', headers: { authorization: 'Bearer tgs_nope' } })).statusCode,
    ).toBe(401);
    const unknown = `/api/v1/no/such/${token}`;
    expect((await app.inject({ url: unknown })).statusCode).toBe(404);
    expect((await app.inject({ url: '/trpc/repositories.list', headers: bearer })).statusCode).toBe(200);

    const text = await scrape();
    const series = (name: string) => text.split('\n').filter((line) => line.startsWith(name));
    expect(
      series('tollgate_http_requests_total{route="/api/v1/repositories",method="GET",status="200"} 3'),
    ).toHaveLength(1);
    expect(
      series('tollgate_http_requests_total{route="/api/v1/tokens/:id",method="GET",status="200"} 1'),
    ).toHaveLength(1);
    expect(
      series('tollgate_http_requests_total{route="unmatched",method="GET",status="404"} 1'),
    ).toHaveLength(1);
    expect(
      series('tollgate_http_request_duration_seconds_bucket{le="0.001",route="/api/v1/repositories"'),
    ).toHaveLength(1);
    expect(series('tollgate_token_verifications_total{outcome="OK"}')[0]).toMatch(/ [1-9]\d*$/);
    expect(series('tollgate_token_verifications_total{outcome="MALFORMED_TOKEN"} 1')).toHaveLength(1);
    expect(series('tollgate_token_cache_lookups_total{result="hit"}')[0]).toMatch(/ [1-9]\d*$/);
    expect(series('tollgate_token_cache_lookups_total{result="miss"}')[0]).toMatch(/ [1-9]\d*$/);
    expect(series('tollgate_rate_limit_decisions_total{decision="allowed"}')[0]).toMatch(/ [1-9]\d*$/);
    for (const name of [
      'tollgate_rate_limit_decisions_total{decision="limited"}',
      'tollgate_rate_limit_store_fallbacks_total',
      'tollgate_usage_buffer_tokens',
      'tollgate_usage_buffer_flush_lag_seconds',
      'tollgate_usage_buffer_dropped_requests_total 0',
      'tollgate_webhook_outbox_depth',
      'tollgate_webhook_outbox_oldest_age_seconds',
      'tollgate_webhook_delivery_attempts_total{result="succeeded"}',
      'tollgate_webhook_delivery_attempts_total{result="failed"}',
      'tollgate_process_cpu_seconds_total',
      'tollgate_nodejs_eventloop_lag_seconds',
    ]) {
      expect(series(name), name).toHaveLength(1);
    }
    // The buffered usage of the token that was used.
    expect(series('tollgate_usage_buffer_tokens ')[0]).toMatch(/ [1-9]\d*$/);
    if (h.services.database.engine === 'postgres') {
      expect(series('tollgate_database_pool_connections{state="total"}')).toHaveLength(1);
    }

    // No label value holds a token, an id or a raw path.
    const labelValues = [...text.matchAll(/="([^"]*)"/g)].map((match) => match[1] ?? '');
    expect(labelValues.length).toBeGreaterThan(20);
    for (const value of labelValues) {
      expect(value).not.toMatch(/tg[ps]_|nope|(org|usr|tok|req)_[0-9A-Za-z]{22}|\/no\/such/);
    }
    expect(text).not.toContain(token);
    expect(text).not.toContain(tokenId);
  });

  it('counts the insurance limiter’s counts when the shared store fails', async () => {
    const metrics = new Metrics();
    // Nothing listens on port 1: every command fails at once, and the insurance limiter counts instead.
    const limiter = new RateLimiterService(
      { store: { kind: 'redis', url: 'redis://127.0.0.1:1' } },
      pino({ level: 'silent' }),
      metrics.rateLimitObserver,
    );
    try {
      const decision = await limiter.consume({
        organizationId: 'org_x',
        tokenId: null,
        source: { tier: 'free', organizationCustom: { perMinute: null, perHour: null } },
      });
      expect(decision.allowed).toBe(true);
      const text = await metrics.registry.metrics();
      expect(text).toMatch(/^tollgate_rate_limit_store_fallbacks_total 2$/m);
      expect(text).toMatch(/^tollgate_rate_limit_decisions_total\{decision="allowed"\} 1$/m);
    } finally {
      await limiter.close();
    }
  });

  it('serves nothing but /metrics on its listener, and is off without METRICS_PORT', async () => {
    const address = h.services.metrics.address;
    expect((await fetch(`http://127.0.0.1:${address?.port}/api/v1/repositories`)).status).toBe(404);
    // Not on the public server either.
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(404);
    const off = await createTestHarness();
    try {
      expect(off.services.metrics.address).toBeUndefined();
    } finally {
      await off.close();
    }
  });
});
