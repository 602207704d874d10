import { newToken, type Tier } from '@tollgate/domain';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../src/env.ts';
import { codeOf } from '../src/routers/tokens/test-helpers.ts';
import { buildServer } from '../src/server.ts';
import { createTestHarness, type TestHarness } from './helpers/harness.ts';
import { createQueryCounter } from './helpers/query-counter.ts';
import { signIn } from './helpers/sessions.ts';

/** Small numbers, so that no test waits a minute (let alone an hour) to see a window refuse. */
const TEST_TIERS: Partial<Record<Tier, { perMinute: number; perHour: number }>> = {
  free: { perMinute: 3, perHour: 5 },
  basic: { perMinute: 100, perHour: 5 },
  standard: { perMinute: 100, perHour: 100 },
  enterprise: { perMinute: 100, perHour: 100 },
};
const FAILED_AUTH_PER_MINUTE = 3;

let h: TestHarness;
let app: FastifyInstance;
const counter = createQueryCounter();
let nextAddress = 1;
/** Every test its own client address, so the failed-authentication counts of one never touch another. */
const freshIp = () => `203.0.113.${nextAddress++}`;

beforeAll(async () => {
  h = await createTestHarness({
    rateLimits: { tiers: TEST_TIERS, failedAuthPerMinute: FAILED_AUTH_PER_MINUTE },
    wrapDatabase: (database) => ({ ...database, db: database.db.withPlugin(counter.plugin) }),
  });
  app = await buildServer({ services: h.services, webDist: '/nonexistent' });
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

async function organizationWithToken(tier: Tier, token: { perMinute?: number } = {}) {
  const org = await h.seedOrganization({ tier });
  const issued = await h.issueToken({
    organizationId: org.id,
    type: 'service',
    scopes: ['tokens:read', 'organization:read'],
    rateLimitPerMinute: token.perMinute ?? null,
  });
  return { org, token: issued.token };
}

function get(token: string, ip = '192.0.2.10', url = '/api/v1/tokens/self') {
  return app.inject({ method: 'GET', url, remoteAddress: ip, headers: { authorization: `Bearer ${token}` } });
}

type Response = Awaited<ReturnType<typeof get>>;

function limitHeaders(response: Response) {
  return {
    limit: Number(response.headers['x-ratelimit-limit']),
    remaining: Number(response.headers['x-ratelimit-remaining']),
    reset: Number(response.headers['x-ratelimit-reset']),
    policy: response.headers['ratelimit-policy'],
    ratelimit: String(response.headers.ratelimit),
    retryAfter:
      response.headers['retry-after'] === undefined ? undefined : Number(response.headers['retry-after']),
  };
}

describe('request limits per organisation (§6)', () => {
  it('the minute window refuses the 4th request; the headers count down and add up', async () => {
    const { token } = await organizationWithToken('free');
    const startSeconds = Date.now() / 1000;
    for (let n = 1; n <= 3; n++) {
      const response = await get(token);
      expect(response.statusCode).toBe(200);
      const headers = limitHeaders(response);
      expect(headers).toMatchObject({ limit: 3, remaining: 3 - n, retryAfter: undefined });
      // tokens.self reports both windows' live counters too.
      expect(response.json().rateLimit).toEqual({
        minute: { limit: 3, remaining: 3 - n, reset: headers.reset },
        hour: { limit: 5, remaining: 5 - n, reset: expect.any(Number) },
      });
      expect(headers.policy).toBe('"minute";q=3;w=60, "hour";q=5;w=3600');
      expect(headers.ratelimit).toMatch(
        new RegExp(`^"minute";r=${3 - n};t=(\\d+), "hour";r=${5 - n};t=(\\d+)$`),
      );
      expect(Number(/t=(\d+)/.exec(headers.ratelimit)?.[1])).toBeLessThanOrEqual(60);
      expect(Number(/"hour";r=\d+;t=(\d+)/.exec(headers.ratelimit)?.[1])).toBeLessThanOrEqual(3_600);
      expect(headers.reset).toBeGreaterThanOrEqual(Math.floor(startSeconds));
      expect(headers.reset).toBeLessThanOrEqual(Math.ceil(startSeconds) + 61);
    }

    const refused = await get(token);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({
      success: false,
      error: 'Rate limit exceeded. Please try again later.',
      code: 'RATE_LIMITED',
    });
    const headers = limitHeaders(refused);
    expect(headers).toMatchObject({ limit: 3, remaining: 0 });
    expect(headers.retryAfter).toBeGreaterThanOrEqual(1);
    expect(headers.retryAfter).toBeLessThanOrEqual(60);
    expect(headers.ratelimit).toMatch(/^"minute";r=0;t=\d+, "hour";r=\d+;t=\d+$/);
  });

  it('with a large minute limit the hour window refuses the 6th, and Retry-After is the hour’s', async () => {
    const { token } = await organizationWithToken('basic');
    for (let n = 1; n <= 5; n++) {
      const response = await get(token);
      expect(response.statusCode).toBe(200);
      // The hour is now closest to exhaustion: its numbers are the ones shown.
      expect(limitHeaders(response)).toMatchObject({ limit: 5, remaining: 5 - n });
      expect(limitHeaders(response).policy).toBe('"minute";q=100;w=60, "hour";q=5;w=3600');
      expect(limitHeaders(response).ratelimit).toMatch(
        new RegExp(`^"minute";r=${100 - n};t=\\d+, "hour";r=${5 - n};t=\\d+$`),
      );
    }
    const refused = await get(token);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limitHeaders(refused).retryAfter).toBeGreaterThan(60);
    expect(limitHeaders(refused).retryAfter).toBeLessThanOrEqual(3_600);
  });

  it('counts all tokens of an organisation together', async () => {
    const { org, token: first } = await organizationWithToken('free');
    const second = await h.issueToken({ organizationId: org.id, type: 'service', scopes: ['tokens:read'] });
    expect((await get(first)).statusCode).toBe(200);
    expect((await get(first)).statusCode).toBe(200);
    expect(limitHeaders(await get(second.token)).remaining).toBe(0);
    expect((await get(second.token)).statusCode).toBe(429);
    expect((await get(first)).statusCode).toBe(429);
  });

  it('holds a token to its own lower limit, without touching its organisation’s other tokens', async () => {
    const { org, token: limited } = await organizationWithToken('standard', { perMinute: 2 });
    const other = await h.issueToken({ organizationId: org.id, type: 'service', scopes: ['tokens:read'] });
    expect(limitHeaders(await get(limited))).toMatchObject({ limit: 2, remaining: 1 });
    const second = limitHeaders(await get(limited));
    expect(second).toMatchObject({ limit: 2, remaining: 0 });
    // The token's own limit is a policy of its own, next to the organisation's two windows.
    expect(second.policy).toBe('"minute";q=100;w=60, "hour";q=100;w=3600, "token-minute";q=2;w=60');
    expect(second.ratelimit).toMatch(/^"minute";r=98;t=\d+, "hour";r=98;t=\d+, "token-minute";r=0;t=\d+$/);
    const refused = await get(limited);
    expect(refused.statusCode).toBe(429);
    expect(limitHeaders(refused).policy).toBe(second.policy);

    // The organisation counted the two admitted requests, not the refused one.
    const response = await get(other.token);
    expect(response.statusCode).toBe(200);
    expect(limitHeaders(response)).toMatchObject({ limit: 100, remaining: 97 });
  });

  it.each<[string, Tier, number, number]>([
    ['an enterprise organisation is held to its custom limit', 'enterprise', 2, 2],
    ['a custom limit on another tier is ignored', 'free', 50, 3],
  ])('%s', async (_label, tier, custom, expectedLimit) => {
    const { org, token } = await organizationWithToken(tier);
    await h.services.db
      .updateTable('organizations')
      .set({ customRateLimitPerMinute: custom })
      .where('id', '=', org.id)
      .execute();
    for (let n = 1; n <= expectedLimit; n++) {
      expect(limitHeaders(await get(token))).toMatchObject({
        limit: expectedLimit,
        remaining: expectedLimit - n,
      });
    }
    expect((await get(token)).statusCode).toBe(429);
  });

  it('sets the same headers on tRPC calls, Retry-After before the 429', async () => {
    const { token } = await organizationWithToken('free');
    const headers = new Map<string, string>();
    const setHeader = (name: string, value: string) => headers.set(name.toLowerCase(), value);
    const caller = h.callerWithToken(token, { setHeader });
    for (let n = 1; n <= 3; n++) {
      await caller.tokens.self();
      expect(headers.get('x-ratelimit-remaining')).toBe(String(3 - n));
    }
    expect(headers.has('retry-after')).toBe(false);
    expect(await codeOf(caller.tokens.self())).toBe('RATE_LIMITED');
    expect(Number(headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it('counts web-app (session) calls against the organisation too', async () => {
    const { org, token } = await organizationWithToken('free');
    const browser = await signIn(h, org.users.owner.email, org.users.owner.password);
    const headers = new Map<string, string>();
    const session = h.caller({
      ...browser,
      setHeader: (name, value) => headers.set(name.toLowerCase(), value),
    });
    await session.tokens.list({});
    expect(headers.get('x-ratelimit-remaining')).toBe('2');
    await session.tokens.list({});
    expect((await get(token)).statusCode).toBe(200);
    expect(await codeOf(session.tokens.list({}))).toBe('RATE_LIMITED');
  });
});

describe('failed authentications per client address (§6)', () => {
  it.each<[string, () => string, string]>([
    ['malformed tokens', () => 'Bearer not-a-token', 'MALFORMED_TOKEN'],
    [
      'unknown well-formed tokens',
      () => `Bearer ${newToken('service', { prefix: 'tg' }).token}`,
      'INVALID_TOKEN',
    ],
  ])('%s: the attempt after the limit is 429 with Retry-After', async (_label, authorization, code) => {
    const ip = freshIp();
    for (let n = 1; n <= FAILED_AUTH_PER_MINUTE; n++) {
      const response = await app.inject({
        method: 'GET',
        url: '/api/v1/tokens/self',
        remoteAddress: ip,
        headers: { authorization: authorization() },
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code });
    }
    const refused = await app.inject({
      method: 'GET',
      url: '/api/v1/tokens/self',
      remoteAddress: ip,
      headers: { authorization: authorization() },
    });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ success: false, code: 'RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('refuses the address before any database lookup, while other addresses go on', async () => {
    const { token } = await organizationWithToken('standard');
    const ip = freshIp();
    for (let n = 0; n < FAILED_AUTH_PER_MINUTE; n++) await get('not-a-token', ip);

    counter.reset();
    const unknown = newToken('service', { prefix: 'tg' }).token;
    expect((await get(unknown, ip)).statusCode).toBe(429);
    expect((await get(token, ip)).statusCode).toBe(429);
    expect(counter.total()).toBe(0);

    expect((await get(token, freshIp())).statusCode).toBe(200);
  });
});

describe('TOLLGATE_RATE_LIMIT_OVERRIDE (testing only)', () => {
  it.each([
    ['not JSON', 'nope'],
    ['a zero limit', '{"tiers":{"free":{"perMinute":0,"perHour":5}}}'],
    ['an unknown tier', '{"tiers":{"gold":{"perMinute":1,"perHour":5}}}'],
  ])('stops start-up with one line naming it for %s', (_label, value) => {
    expect(() => loadEnv({ TOLLGATE_RATE_LIMIT_OVERRIDE: value })).toThrow(
      /^Invalid environment variable TOLLGATE_RATE_LIMIT_OVERRIDE[^\n]*$/,
    );
  });

  it('parses the test limits a spawned server is given', () => {
    const env = loadEnv({
      TOLLGATE_RATE_LIMIT_OVERRIDE: '{"tiers":{"free":{"perMinute":3,"perHour":5}},"keyPrefix":"t1"}',
    });
    expect(env.TOLLGATE_RATE_LIMIT_OVERRIDE).toEqual({
      tiers: { free: { perMinute: 3, perHour: 5 } },
      keyPrefix: 't1',
    });
  });
});
