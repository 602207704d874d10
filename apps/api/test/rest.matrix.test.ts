import { SCOPE_NAMES, type Scope, WEBHOOK_EVENT_TYPES } from '@tollgate/domain';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRouteTable, type RestRouteEntry } from '../src/rest/route-table.ts';
import { appRouter } from '../src/routers/root.ts';
import { buildServer } from '../src/server.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';

/**
 * Every route of the REST route table × { no token, malformed token, token without the route's scope,
 * token with it, token of another organisation on the first organisation's resource }: status and code
 * of §7. One harness and one server for the whole file; the case with the scope runs last, and its
 * deleting routes after the others, so the earlier cases all see the real resources.
 */

const ROUTES = buildRouteTable(appRouter);
const ERROR_STATUSES_WITH_SCOPE = [400, 402, 404, 409];

let h: TestHarness;
let app: FastifyInstance;
let first: SeededOrganization;
let second: SeededOrganization;
/** One service token per scope, in each organisation. */
const firstTokens = new Map<Scope, string>();
const secondTokens = new Map<Scope, string>();
/** Real resources of the first organisation, by path parameter family. */
let ids: { repository: string; review: string; slug: string; webhook: string; token: string; member: string };

function routeKey(route: RestRouteEntry): string {
  return `${route.method} ${route.path}`;
}

/** A valid body per route that takes one, so that a refusal is about the caller, not the input. */
function bodyOf(route: RestRouteEntry): Record<string, unknown> | undefined {
  if (!['POST', 'PUT', 'PATCH'].includes(route.method)) return undefined;
  const bodies: Record<string, Record<string, unknown>> = {
    'POST /team': { email: 'nobody-yet@example.test', role: 'member' },
    'PATCH /team/{userId}': { role: 'member' },
    'POST /tokens': { name: 'matrix token', type: 'service', scopes: ['tokens:write'] },
    'PATCH /tokens/{id}': { name: 'renamed by the matrix' },
    'POST /repositories': { name: 'matrix/second' },
    'PATCH /repositories/{id}': { reviewSettings: { minSeverity: 'error' } },
    'POST /reviews/trigger': { repositoryId: ids.repository, title: 'matrix review' },
    'PATCH /reviews/{id}': { status: 'running' },
    'POST /billing/credits': { amount: 5 },
    'PUT /wiki/pages/{slug}': { title: 'Matrix page', body: 'from the other side' },
    'POST /webhooks': { url: 'https://hooks.example.test/matrix', events: [WEBHOOK_EVENT_TYPES[0]] },
    'PATCH /webhooks/{id}': { active: false },
    'PATCH /organization': {},
  };
  return bodies[routeKey(route)] ?? {};
}

function urlOf(route: RestRouteEntry): string {
  const values: Record<string, string> = {
    id: route.path.startsWith('/repositories')
      ? ids.repository
      : route.path.startsWith('/reviews')
        ? ids.review
        : route.path.startsWith('/webhooks')
          ? ids.webhook
          : ids.token,
    slug: ids.slug,
    userId: ids.member,
  };
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (!value) throw new Error(`${routeKey(route)}: no resource for {${name}}`);
    return value;
  });
  return `/api/v1${path}`;
}

function send(route: RestRouteEntry, authorization: string | undefined) {
  const body = bodyOf(route);
  return app.inject({
    method: route.method,
    url: urlOf(route),
    headers: {
      ...(authorization === undefined ? {} : { authorization }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

/** The §7 error body (a problem document): exactly these keys, never a stack. */
const ERROR_KEYS = [
  'success',
  'error',
  'code',
  'details',
  'type',
  'title',
  'status',
  'detail',
  'instance',
  'requestId',
];

function expectError(response: LightMyRequestResponse, status: number, code?: string) {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json();
  expect(body).toMatchObject({ success: false, error: expect.any(String), code: code ?? expect.any(String) });
  expect(Object.keys(body).every((key) => ERROR_KEYS.includes(key))).toBe(true);
  expect(response.body).not.toMatch(/\bat .+\.ts:\d+/);
}

/** A scope the route does not need (and that no route's scope implies). */
function otherScope(route: RestRouteEntry): Scope {
  return route.scope === 'audit:read' ? 'wiki:read' : 'audit:read';
}

beforeAll(async () => {
  h = await createTestHarness();
  first = await h.seedOrganization({ tier: 'enterprise' });
  second = await h.seedOrganization({ tier: 'enterprise' });
  app = await buildServer({ services: h.services });
  for (const scope of SCOPE_NAMES) {
    const mine = await h.issueToken({ organizationId: first.id, type: 'service', scopes: [scope] });
    const theirs = await h.issueToken({ organizationId: second.id, type: 'service', scopes: [scope] });
    firstTokens.set(scope, mine.token);
    secondTokens.set(scope, theirs.token);
  }
  const all = (await h.issueToken({ organizationId: first.id, type: 'service', scopes: [...SCOPE_NAMES] }))
    .token;
  const post = async (url: string, payload: unknown, status: number) => {
    const response = await app.inject({
      method: url.startsWith('/wiki') ? 'PUT' : 'POST',
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${all}`, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
    expect(response.statusCode, response.body).toBe(status);
    return response.json();
  };
  const repository = await post('/repositories', { name: 'matrix/first' }, 201);
  await post('/billing/credits', { amount: 50 }, 201);
  const review = await post('/reviews/trigger', { repositoryId: repository.id, title: 'first review' }, 201);
  const page = await post('/wiki/pages/matrix-page', { title: 'Theirs', body: 'original' }, 200);
  const webhook = await post(
    '/webhooks',
    { url: 'https://hooks.example.test/first', events: [WEBHOOK_EVENT_TYPES[0]] },
    201,
  );
  const token = await h.issueToken({ organizationId: first.id, type: 'service', scopes: ['wiki:read'] });
  ids = {
    repository: repository.id,
    review: review.id,
    slug: page.slug,
    webhook: webhook.id,
    token: token.id,
    member: first.users.viewer.id,
  };
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

describe('REST matrix', () => {
  it('covers a table of routes with every path parameter family', () => {
    expect(ROUTES.length).toBeGreaterThanOrEqual(40);
    const params = new Set(ROUTES.flatMap((route) => route.pathParams));
    expect([...params].sort()).toEqual(['id', 'slug', 'userId']);
  });

  it.each(ROUTES.map((route) => [routeKey(route), route] as const))(
    '%s without a token → 401 MISSING_TOKEN',
    async (_, route) => {
      expectError(await send(route, undefined), 401, 'MISSING_TOKEN');
    },
  );

  it.each(ROUTES.map((route) => [routeKey(route), route] as const))(
    '%s with a malformed token → 401 MALFORMED_TOKEN',
    async (_, route) => {
      expectError(await send(route, 'Bearer tg_not-a-real-token'), 401, 'MALFORMED_TOKEN');
      expectError(await send(route, 'Basic dXNlcjpwYXNz'), 401, 'MALFORMED_TOKEN');
    },
  );

  const scoped = ROUTES.filter((route) => route.scope !== null);
  it.each(scoped.map((route) => [routeKey(route), route] as const))(
    '%s with a token without the scope → 403 INSUFFICIENT_SCOPE',
    async (_, route) => {
      const token = firstTokens.get(otherScope(route)) as string;
      expectError(await send(route, `Bearer ${token}`), 403, 'INSUFFICIENT_SCOPE');
    },
  );

  it('GET /tokens/self needs no scope: any valid token reads itself', async () => {
    const route = ROUTES.find((entry) => routeKey(entry) === 'GET /tokens/self');
    expect(route?.scope).toBeNull();
    for (const scope of ['audit:read', 'wiki:write'] as const) {
      const response = await send(route as RestRouteEntry, `Bearer ${firstTokens.get(scope)}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ type: 'service', scopes: [scope] });
    }
  });

  it('GET /openapi.json is public: no token needed, and it lists every route of the table', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    const listed = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(listed.sort()).toEqual(
      expect.arrayContaining(ROUTES.map((route) => `${route.method} /api/v1${route.path}`)),
    );
  });

  const withIds = ROUTES.filter((route) => route.pathParams.length > 0);
  const upserts = withIds.filter((route) => routeKey(route) === 'PUT /wiki/pages/{slug}');
  it.each(
    withIds.filter((route) => !upserts.includes(route)).map((route) => [routeKey(route), route] as const),
  )("%s with another organisation's token holding the scope → 404 NOT_FOUND", async (_, route) => {
    const token = secondTokens.get(route.scope as Scope) as string;
    expectError(await send(route, `Bearer ${token}`), 404, 'NOT_FOUND');
  });

  it("PUT /wiki/pages/{slug} from another organisation writes its own page, never the first one's", async () => {
    const route = upserts[0] as RestRouteEntry;
    const response = await send(route, `Bearer ${secondTokens.get('wiki:write')}`);
    expect(response.statusCode).toBe(200);
    const read = await app.inject({
      method: 'GET',
      url: `/api/v1/wiki/pages/${ids.slug}`,
      headers: { authorization: `Bearer ${firstTokens.get('wiki:read')}` },
    });
    expect(read.json()).toMatchObject({ title: 'Theirs', body: 'original' });
  });

  // Last, deleting routes at the end, so that every case above met the real resources.
  const ordered = [
    ...ROUTES.filter((route) => route.method !== 'DELETE'),
    ...ROUTES.filter((route) => route.method === 'DELETE'),
  ];
  it.each(ordered.map((route) => [routeKey(route), route] as const))(
    '%s with a token holding the scope → its success status, or a §7 error about the input',
    async (_, route) => {
      // Self-rotate retires the secret it is called with: a token of its own, not one later cases use.
      const token =
        routeKey(route) === 'POST /tokens/self/rotate'
          ? (await h.issueToken({ organizationId: first.id, type: 'service', scopes: ['wiki:read'] })).token
          : (firstTokens.get(route.scope ?? 'wiki:read') as string);
      const response = await send(route, `Bearer ${token}`);
      if (response.statusCode < 300) {
        expect(response.statusCode, response.body).toBe(route.successStatus);
      } else {
        expect(ERROR_STATUSES_WITH_SCOPE, response.body).toContain(response.statusCode);
        expectError(response, response.statusCode);
      }
    },
  );
});
