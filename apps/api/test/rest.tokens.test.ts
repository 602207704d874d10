import { tokenPattern } from '@tollgate/domain';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';

/** The token lifecycle over /api/v1, as an external client with a Bearer token sees it. */
describe('REST facade: tokens over HTTP', () => {
  let h: TestHarness;
  let org: SeededOrganization;
  let app: FastifyInstance;
  let manager: string;

  beforeAll(async () => {
    h = await createTestHarness();
    org = await h.seedOrganization();
    app = await buildServer({ services: h.services });
    manager = (
      await h.issueToken({
        organizationId: org.id,
        subjectUserId: org.users.admin.id,
        scopes: ['tokens:read', 'tokens:write', 'wiki:read', 'audit:read'],
      })
    ).token;
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string, body?: unknown) =>
    app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

  it('creates (201, secret once), lists, gets, updates, deactivates, rotates, revokes and deletes (204)', async () => {
    const created = await call('POST', '/api/v1/tokens', manager, {
      name: 'deploy bot',
      scopes: ['tokens:read', 'wiki:read'],
      environment: 'production',
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const token = created.json();
    expect(token).toMatchObject({ name: 'deploy bot', type: 'personal', status: 'active' });
    expect([...token.scopes].sort()).toEqual(['tokens:read', 'wiki:read']);
    expect(token.token).toMatch(tokenPattern());
    expect(token.prefix).toBe(token.token.slice(0, 12));
    const secret: string = token.token;

    // The new token works at once, and calls the same procedures.
    const self = await call('GET', '/api/v1/tokens/self', secret);
    expect(self.statusCode).toBe(200);
    expect(self.json().id).toBe(token.id);
    expect([...self.json().effectiveScopes].sort()).toEqual(['tokens:read', 'wiki:read']);

    const listed = await call('GET', '/api/v1/tokens?q=deploy&status=active', manager);
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual({
      data: [expect.objectContaining({ id: token.id, prefix: token.prefix })],
      nextCursor: null,
      total: 1,
    });
    expect(listed.body).not.toContain(secret);
    expect(listed.json().data[0]).not.toHaveProperty('token');

    const fetched = await call('GET', `/api/v1/tokens/${token.id}`, manager);
    expect(fetched.statusCode).toBe(200);
    expect(fetched.body).not.toContain(secret);

    const renamed = await call('PATCH', `/api/v1/tokens/${token.id}`, manager, { name: 'deploy bot v2' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ id: token.id, name: 'deploy bot v2' });
    // Scopes never change after creation: the strict input refuses them instead of ignoring them.
    const rescoped = await call('PATCH', `/api/v1/tokens/${token.id}`, manager, { scopes: ['tokens:write'] });
    expect(rescoped.statusCode).toBe(400);
    expect(rescoped.json().code).toBe('VALIDATION_FAILED');

    expect((await call('POST', `/api/v1/tokens/${token.id}/deactivate`, manager)).json().status).toBe(
      'inactive',
    );
    expect((await call('GET', '/api/v1/tokens/self', secret)).json().code).toBe('TOKEN_INACTIVE');
    expect((await call('POST', `/api/v1/tokens/${token.id}/reactivate`, manager)).json().status).toBe(
      'active',
    );

    const rotated = await call('POST', `/api/v1/tokens/${token.id}/rotate`, manager, {
      gracePeriodSeconds: 0,
    });
    expect(rotated.statusCode).toBe(200);
    const rotatedSecret: string = rotated.json().token;
    expect(rotatedSecret).toMatch(tokenPattern());
    expect(rotatedSecret).not.toBe(secret);
    expect((await call('GET', '/api/v1/tokens/self', secret)).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/tokens/self', rotatedSecret)).statusCode).toBe(200);

    expect((await call('POST', `/api/v1/tokens/${token.id}/revoke`, manager)).json().status).toBe('revoked');
    expect((await call('GET', '/api/v1/tokens/self', rotatedSecret)).json().code).toBe('TOKEN_REVOKED');

    const deleted = await call('DELETE', `/api/v1/tokens/${token.id}`, manager);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await call('GET', `/api/v1/tokens/${token.id}`, manager)).json().code).toBe('NOT_FOUND');

    // The same chain as tRPC: every step is in the audit log, with the REST caller's address.
    const audit = await call('GET', `/api/v1/audit-logs?target=${token.id}&limit=100`, manager);
    expect(audit.statusCode).toBe(200);
    const actions = audit.json().data.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'token.created',
        'token.updated',
        'token.deactivated',
        'token.rotated',
        'token.revoked',
        'token.deleted',
      ]),
    );
    expect(audit.body).not.toContain(secret);
  });

  it('pages a list with limit and cursor from the query string', async () => {
    for (const name of ['page a', 'page b', 'page c']) {
      expect(
        (await call('POST', '/api/v1/tokens', manager, { name: `${name} paging`, scopes: ['wiki:read'] }))
          .statusCode,
      ).toBe(201);
    }
    const seen: string[] = [];
    let url = '/api/v1/tokens?q=paging&limit=2';
    for (let page = 0; page < 5; page++) {
      const response = await call('GET', url, manager);
      expect(response.statusCode).toBe(200);
      const { data, nextCursor } = response.json() as { data: { name: string }[]; nextCursor: string | null };
      expect(data.length).toBeLessThanOrEqual(2);
      seen.push(...data.map((token) => token.name));
      if (nextCursor === null) break;
      url = `/api/v1/tokens?q=paging&limit=2&cursor=${encodeURIComponent(nextCursor)}`;
    }
    expect(seen.sort()).toEqual(['page a paging', 'page b paging', 'page c paging']);
  });

  it('sorts by the query string and reports the total; a bad sort is VALIDATION_FAILED, not a 500', async () => {
    const names: string[] = [];
    let total: number | undefined;
    let url = '/api/v1/tokens?q=paging&sort=name&order=desc&limit=2';
    for (let page = 0; page < 5; page++) {
      const response = await call('GET', url, manager);
      expect(response.statusCode).toBe(200);
      const body = response.json() as {
        data: { name: string }[];
        nextCursor: string | null;
        total: number;
      };
      names.push(...body.data.map((token) => token.name));
      total = body.total;
      if (body.nextCursor === null) break;
      url = `/api/v1/tokens?q=paging&sort=name&order=desc&limit=2&cursor=${encodeURIComponent(body.nextCursor)}`;
    }
    expect(names).toEqual(['page c paging', 'page b paging', 'page a paging']);
    expect(total).toBe(3);
    const bad = await call('GET', '/api/v1/tokens?sort=secret', manager);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it("answers NOT_FOUND for another organisation's token, whatever the method", async () => {
    const other = await h.seedOrganization();
    const { id } = await h.issueToken({
      organizationId: other.id,
      subjectUserId: other.users.owner.id,
      scopes: ['wiki:read'],
    });
    const responses = await Promise.all([
      call('GET', `/api/v1/tokens/${id}`, manager),
      call('PATCH', `/api/v1/tokens/${id}`, manager, { name: 'mine now' }),
      call('POST', `/api/v1/tokens/${id}/revoke`, manager),
      call('DELETE', `/api/v1/tokens/${id}`, manager),
    ]);
    expect(responses.map((response) => [response.statusCode, response.json().code])).toEqual(
      Array(4).fill([404, 'NOT_FOUND']),
    );
  });
});
