import { REVIEW_CREDIT_COST, SCOPE_NAMES, type Scope } from '@tollgate/domain';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The product resources over /api/v1, as an external client with a Bearer token sees them. */
let h: TestHarness;
let org: SeededOrganization;
let app: FastifyInstance;
let owner: string;

beforeAll(async () => {
  h = await createTestHarness();
  org = await h.seedOrganization({ tier: 'enterprise' });
  app = await buildServer({ services: h.services });
  owner = (
    await h.issueToken({
      organizationId: org.id,
      subjectUserId: org.users.owner.id,
      scopes: [...SCOPE_NAMES],
    })
  ).token;
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

function call(method: Method, url: string, token: string, body?: unknown) {
  return app.inject({
    method,
    url: `/api/v1${url}`,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

describe('REST facade: the product resources over HTTP', () => {
  it('repositories, credits, reviews, usage, stats and wiki, each with its status codes', async () => {
    // Repositories: 201 on create, list, patch, 409 on a taken name, 400 with details.
    const created = await call('POST', '/repositories', owner, {
      name: 'acme/web',
      url: 'https://git.example/web',
    });
    expect(created.statusCode).toBe(201);
    const repository = created.json();
    expect(repository).toMatchObject({
      id: expect.stringMatching(/^rep_/),
      name: 'acme/web',
      defaultBranch: 'main',
    });
    const conflict = await call('POST', '/repositories', owner, { name: 'acme/web' });
    expect([conflict.statusCode, conflict.json().code]).toEqual([409, 'CONFLICT']);
    const invalid = await call('POST', '/repositories', owner, { name: 'acme web', url: 'ftp://x' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
    expect(
      invalid
        .json()
        .details.map((detail: { path: string }) => detail.path)
        .sort(),
    ).toEqual(['name', 'url']);
    const patched = await call('PATCH', `/repositories/${repository.id}`, owner, {
      reviewSettings: { minSeverity: 'error' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().reviewSettings).toEqual({
      autoReview: true,
      minSeverity: 'error',
      ignorePaths: [],
    });
    const list = await call('GET', '/repositories?limit=1', owner);
    expect(list.json()).toEqual({ data: [patched.json()], nextCursor: null });

    // No credits yet: 402 with the §7 body, nothing queued.
    const poor = await call('POST', '/reviews/trigger', owner, {
      repositoryId: repository.id,
      title: 'First',
    });
    expect(poor.statusCode).toBe(402);
    expect(poor.json()).toMatchObject({
      success: false,
      error: expect.stringMatching(/^A review costs/),
      code: 'INSUFFICIENT_CREDITS',
    });

    // Purchase (201), then trigger (201) and move the review along.
    const purchase = await call('POST', '/billing/credits', owner, { amount: 3 });
    expect([purchase.statusCode, purchase.json().balance]).toEqual([201, 3]);
    // Entries made in the same millisecond have no order among themselves; the test clock stands still.
    h.clock.advance(1_000);
    const triggered = await call('POST', '/reviews/trigger', owner, {
      repositoryId: repository.id,
      pullRequest: 7,
      title: 'First',
    });
    expect(triggered.statusCode).toBe(201);
    const review = triggered.json();
    expect(review).toMatchObject({ status: 'queued', pullRequest: 7, creditsCharged: REVIEW_CREDIT_COST });
    expect((await call('PATCH', `/reviews/${review.id}`, owner, { status: 'completed' })).json().code).toBe(
      'CONFLICT',
    );
    expect((await call('PATCH', `/reviews/${review.id}`, owner, { status: 'running' })).statusCode).toBe(200);
    const done = await call('PATCH', `/reviews/${review.id}`, owner, {
      status: 'completed',
      findings: [{ path: 'src/app.ts', line: 10, severity: 'warning', message: 'Unused variable' }],
    });
    expect(done.json()).toMatchObject({ status: 'completed', completedAt: expect.any(String) });
    expect((await call('GET', `/reviews/${review.id}`, owner)).json()).toEqual(done.json());

    // /reviews/stats is its own route, not a review with the id "stats"; filters come from the query string.
    const stats = await call('GET', '/reviews/stats', owner);
    expect(stats.json()).toEqual({
      total: 1,
      byStatus: { queued: 0, running: 0, completed: 1, failed: 0, cancelled: 0 },
      averageFindings: 1,
      creditsSpent: REVIEW_CREDIT_COST,
    });
    expect((await call('GET', '/reviews?status=queued', owner)).json()).toEqual({
      data: [],
      nextCursor: null,
    });
    expect(
      (await call('GET', `/reviews?status=completed&repositoryId=${repository.id}`, owner)).json().data,
    ).toHaveLength(1);

    const credits = await call('GET', '/billing/credits?limit=1', owner);
    expect(credits.json()).toMatchObject({ balance: 3 - REVIEW_CREDIT_COST, data: [{ reason: 'review' }] });
    expect(credits.json().nextCursor).toEqual(expect.any(String));
    const usage = await call('GET', '/billing/usage?days=7', owner);
    expect(usage.statusCode).toBe(200);
    expect(usage.json().data).toHaveLength(7);
    expect(usage.json().totals).toMatchObject({ creditsDebited: REVIEW_CREDIT_COST, creditsAdded: 3 });
    expect((await call('GET', '/billing/usage?days=91', owner)).statusCode).toBe(400);

    const organizationStats = await call('GET', '/organization/stats', owner);
    expect(organizationStats.json()).toMatchObject({
      repositories: 1,
      reviews: { total: 1, completed: 1 },
      members: 4,
      activeTokens: 1,
      creditBalance: 3 - REVIEW_CREDIT_COST,
    });

    // Wiki: PUT creates and replaces (200), DELETE answers 204 with no body.
    const put = await call('PUT', '/wiki/pages/runbook', owner, { title: 'Runbook', body: 'Restart it.' });
    expect([put.statusCode, put.json().slug]).toEqual([200, 'runbook']);
    expect((await call('PUT', '/wiki/pages/Bad_Slug', owner, { title: 'x' })).json().code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await call('GET', '/wiki/pages', owner)).json().data).toEqual([
      expect.not.objectContaining({ body: expect.anything() }),
    ]);
    expect((await call('GET', '/wiki/pages/runbook', owner)).json().body).toBe('Restart it.');
    const deleted = await call('DELETE', '/wiki/pages/runbook', owner);
    expect([deleted.statusCode, deleted.body]).toEqual([204, '']);
    expect((await call('GET', '/wiki/pages/runbook', owner)).statusCode).toBe(404);

    const removed = await call('DELETE', `/repositories/${repository.id}`, owner);
    expect([removed.statusCode, removed.body]).toEqual([204, '']);
  });

  it('answers 404 NOT_FOUND for another organisation’s repository, review and wiki page', async () => {
    const other = await h.seedOrganization({ tier: 'enterprise' });
    const theirs = (
      await h.issueToken({ organizationId: other.id, type: 'service', scopes: [...SCOPE_NAMES] })
    ).token;
    const repository = (await call('POST', '/repositories', theirs, { name: 'theirs/secret' })).json();
    await call('POST', '/billing/credits', theirs, { amount: 1 });
    const review = (
      await call('POST', '/reviews/trigger', theirs, { repositoryId: repository.id, title: 'x' })
    ).json();
    await call('PUT', '/wiki/pages/secret', theirs, { title: 'Secret' });

    for (const [method, url, body] of [
      ['GET', `/repositories/${repository.id}`],
      ['PATCH', `/repositories/${repository.id}`, { name: 'mine-now' }],
      ['DELETE', `/repositories/${repository.id}`],
      ['GET', `/reviews/${review.id}`],
      ['PATCH', `/reviews/${review.id}`, { status: 'running' }],
      ['POST', '/reviews/trigger', { repositoryId: repository.id, title: 'on their credit' }],
      ['GET', '/wiki/pages/secret'],
      ['DELETE', '/wiki/pages/secret'],
    ] as [Method, string, unknown?][]) {
      const response = await call(method, url, owner, body);
      expect([method, url, response.statusCode, response.json().code]).toEqual([
        method,
        url,
        404,
        'NOT_FOUND',
      ]);
    }
    expect((await call('GET', `/reviews/${review.id}`, theirs)).json().status).toBe('queued');
  });
});

/**
 * The scope of each product endpoint, copied by hand from the §7 table: a token holding every scope but that
 * one (and the write scope that implies it) is refused with 403 INSUFFICIENT_SCOPE; a token holding only that
 * scope gets past the scope check (its answer may still be 400 or 404 for this placeholder input).
 */
const ENDPOINTS: [Method, string, Scope, unknown?][] = [
  ['GET', '/organization/stats', 'organization:read'],
  ['GET', '/repositories', 'repositories:read'],
  ['POST', '/repositories', 'repositories:write', { name: 'scope-check' }],
  ['GET', '/repositories/rep_0000000000000000000000', 'repositories:read'],
  ['PATCH', '/repositories/rep_0000000000000000000000', 'repositories:write', { name: 'x' }],
  ['DELETE', '/repositories/rep_0000000000000000000000', 'repositories:write'],
  ['GET', '/reviews', 'reviews:read'],
  ['GET', '/reviews/stats', 'reviews:read'],
  ['POST', '/reviews/trigger', 'reviews:write', { repositoryId: 'rep_0000000000000000000000', title: 'x' }],
  ['GET', '/reviews/rev_0000000000000000000000', 'reviews:read'],
  ['PATCH', '/reviews/rev_0000000000000000000000', 'reviews:write', { status: 'running' }],
  ['GET', '/billing/credits', 'billing:read'],
  ['POST', '/billing/credits', 'billing:write', { amount: 1 }],
  ['GET', '/billing/usage', 'billing:read'],
  ['GET', '/wiki/pages', 'wiki:read'],
  ['GET', '/wiki/pages/some-page', 'wiki:read'],
  ['PUT', '/wiki/pages/some-page', 'wiki:write', { title: 'x' }],
  ['DELETE', '/wiki/pages/some-page', 'wiki:write'],
];

describe.each(ENDPOINTS)('%s %s needs %s', (method, url, scope, body) => {
  const writeOf = scope.replace(/:read$/, ':write') as Scope;

  it('is refused without that scope', async () => {
    const { token } = await h.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: SCOPE_NAMES.filter((name) => name !== scope && name !== writeOf),
    });
    const response = await call(method, url, token, body);
    expect([response.statusCode, response.json().code]).toEqual([403, 'INSUFFICIENT_SCOPE']);
  });

  it('gets past the scope check with only that scope', async () => {
    const { token } = await h.issueToken({ organizationId: org.id, type: 'service', scopes: [scope] });
    const response = await call(method, url, token, body);
    expect([200, 201, 204, 400, 402, 404, 409]).toContain(response.statusCode);
  });
});
