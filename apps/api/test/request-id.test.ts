import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildServer } from '../src/server.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';
import { signIn } from './helpers/sessions.ts';

const REQUEST_ID = /^req_[0-9A-Za-z]{22}$/;

/** §7: every response of every surface names its request, and the id ties it to the log and audit log. */
describe('Request-Id (§7)', () => {
  let h: TestHarness;
  let org: SeededOrganization;
  let app: FastifyInstance;
  let proxied: FastifyInstance;
  let token: string;
  const webDist = mkdtempSync(join(tmpdir(), 'tollgate-web-'));

  beforeAll(async () => {
    writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>web</title>');
    writeFileSync(join(webDist, 'app.js'), 'console.log(1)');
    h = await createTestHarness();
    org = await h.seedOrganization();
    app = await buildServer({ services: h.services, webDist });
    // The same services behind a proxy at 10.0.0.1, which TRUST_PROXY names.
    proxied = await buildServer({
      services: { ...h.services, env: { ...h.services.env, TRUST_PROXY: ['10.0.0.0/8'] } },
      webDist,
    });
    token = (
      await h.issueToken({
        organizationId: org.id,
        subjectUserId: org.users.admin.id,
        scopes: ['repositories:read', 'repositories:write', 'tokens:read'],
      })
    ).token;
  });
  afterAll(async () => {
    await app?.close();
    await proxied?.close();
    await h?.close();
    rmSync(webDist, { recursive: true, force: true });
  });

  const bearer = () => ({ authorization: `Bearer ${token}` });

  it.each<[label: string, request: () => InjectOptions, status: number]>([
    ['/healthz', () => ({ method: 'GET', url: '/healthz' }), 200],
    ['/readyz', () => ({ method: 'GET', url: '/readyz' }), 200],
    ['/docs', () => ({ method: 'GET', url: '/docs' }), 200],
    ['/docs/errors', () => ({ method: 'GET', url: '/docs/errors' }), 200],
    ['the OpenAPI document', () => ({ method: 'GET', url: '/api/v1/openapi.json' }), 200],
    ['a REST call', () => ({ method: 'GET', url: '/api/v1/repositories', headers: bearer() }), 200],
    ['a REST error', () => ({ method: 'GET', url: '/api/v1/repositories' }), 401],
    ['an unknown REST route', () => ({ method: 'GET', url: '/api/v1/nothing' }), 404],
    ['a tRPC call', () => ({ method: 'GET', url: '/trpc/repositories.list', headers: bearer() }), 200],
    ['a tRPC error', () => ({ method: 'GET', url: '/trpc/repositories.list' }), 401],
    ['a static file of the web app', () => ({ method: 'GET', url: '/app.js' }), 200],
    ['a client-side route of the web app', () => ({ method: 'GET', url: '/tokens/new' }), 200],
    ['an unknown path outside the web app', () => ({ method: 'POST', url: '/nothing' }), 404],
    ['a malformed URL', () => ({ method: 'GET', url: '/trpc/%E0%A4%A' }), 400],
  ])('%s carries a req_… Request-Id', async (_label, request, status) => {
    const response = await app.inject(request());
    expect(response.statusCode).toBe(status);
    expect(response.headers['request-id']).toMatch(REQUEST_ID);
    // Any JSON error body names the same id.
    if (status >= 400 && String(response.headers['content-type']).includes('json')) {
      const body = response.json();
      expect(body.requestId ?? body.error?.data?.requestId).toBe(response.headers['request-id']);
    }
  });

  it('gives every request an id of its own', async () => {
    const ids = new Set<unknown>();
    for (let n = 0; n < 5; n++) ids.add((await app.inject({ url: '/healthz' })).headers['request-id']);
    expect(ids.size).toBe(5);
  });

  it('tRPC errors carry the id in their data, beside the §7 code', async () => {
    const response = await app.inject({ method: 'GET', url: '/trpc/repositories.list' });
    expect(response.json().error.data).toMatchObject({
      appCode: 'MISSING_TOKEN',
      requestId: response.headers['request-id'],
    });
  });

  it.each<[label: string, kept: boolean, server: () => FastifyInstance, from: string, header: string]>([
    ['a trusted proxy’s Request-Id', true, () => proxied, '10.0.0.1', 'request-id'],
    ['a trusted proxy’s X-Request-Id', true, () => proxied, '10.0.0.1', 'x-request-id'],
    [
      'a Request-Id from an address TRUST_PROXY does not name',
      false,
      () => proxied,
      '192.0.2.1',
      'request-id',
    ],
    ['a Request-Id without TRUST_PROXY', false, () => app, '10.0.0.1', 'request-id'],
  ])('%s: kept = %s', async (_label, kept, server, from, header) => {
    const response = await server().inject({
      method: 'GET',
      url: '/api/v1/nothing',
      remoteAddress: from,
      headers: { [header]: 'lb-7f3a.42' },
    });
    expect(response.headers['request-id']).toEqual(kept ? 'lb-7f3a.42' : expect.stringMatching(REQUEST_ID));
    expect(response.json().requestId).toBe(response.headers['request-id']);
  });

  it.each([['a'.repeat(65)], ['with space'], ['quote"d'], ['new\u00e9']])(
    'replaces a trusted proxy’s unsafe id %j with its own',
    async (incoming) => {
      const response = await proxied.inject({
        method: 'GET',
        url: '/healthz',
        remoteAddress: '10.0.0.1',
        headers: { 'request-id': incoming },
      });
      expect(response.headers['request-id']).toMatch(REQUEST_ID);
    },
  );

  it('writes the id into the audit entries a request causes, on both surfaces', async () => {
    const rest = await app.inject({
      method: 'POST',
      url: '/api/v1/repositories',
      headers: { ...bearer(), 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'acme/rest', url: 'https://git.example.com/acme/rest' }),
    });
    expect(rest.statusCode).toBe(201);
    const trpc = await app.inject({
      method: 'POST',
      url: '/trpc/repositories.create',
      headers: { ...bearer(), 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'acme/trpc', url: 'https://git.example.com/acme/trpc' }),
    });
    expect(trpc.statusCode).toBe(200);

    const owner = await signIn(h, org.users.owner.email, org.users.owner.password);
    const { data } = await h.caller(owner).audit.list({ action: 'repository.created' });
    const byTarget = new Map(data.map((entry) => [entry.targetId, entry.requestId]));
    expect(byTarget.get(rest.json().id)).toBe(rest.headers['request-id']);
    expect(byTarget.get(trpc.json().result.data.id)).toBe(trpc.headers['request-id']);
  });

  it('logs an internal failure under the id the response names', async () => {
    const errors = vi.spyOn(h.services.log, 'error');
    const resolve = vi.spyOn(h.services.tokenCache, 'resolve').mockRejectedValueOnce(new Error('boom'));
    try {
      const { token: fresh } = await h.issueToken({
        organizationId: org.id,
        type: 'service',
        scopes: ['tokens:read'],
      });
      const response = await app.inject({
        method: 'GET',
        url: '/api/v1/tokens',
        headers: { authorization: `Bearer ${fresh}` },
      });
      expect(response.statusCode).toBe(500);
      expect(errors).toHaveBeenCalledWith(
        expect.objectContaining({ reqId: response.headers['request-id'] }),
        expect.any(String),
      );
    } finally {
      resolve.mockRestore();
      errors.mockRestore();
    }
  });
});
