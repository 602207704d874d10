import { connect } from 'node:net';
import { ERRORS, type ErrorCode } from '@tollgate/domain';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ZErrorBodySchema } from '../src/rest/openapi.ts';
import { buildServer } from '../src/server.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';

/** The §7 error contract of /api/v1, for Fastify's own errors as much as for the procedures'. */
describe('REST facade: the §7 error contract', () => {
  let h: TestHarness;
  let org: SeededOrganization;
  let app: FastifyInstance;
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    h = await createTestHarness();
    org = await h.seedOrganization();
    app = await buildServer({ services: h.services });
    writer = (
      await h.issueToken({
        organizationId: org.id,
        subjectUserId: org.users.admin.id,
        scopes: ['tokens:read', 'tokens:write'],
      })
    ).token;
    reader = (
      await h.issueToken({
        organizationId: org.id,
        subjectUserId: org.users.member.id,
        scopes: ['tokens:read'],
      })
    ).token;
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  /** Sends a request and checks that its answer is exactly a §7 error body with the code's status. */
  async function expectError(request: InjectOptions, code: ErrorCode) {
    const response = await app.inject(request);
    expect({ status: response.statusCode, code: response.json().code }).toEqual({
      status: ERRORS[code].status,
      code,
    });
    // An RFC 9457 problem document, which keeps the §7 fields and adds the problem ones.
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    // Like every /api/v1 response, errors (Fastify's own included) are never stored by a cache.
    expect(response.headers['cache-control']).toBe('no-store');
    const body = ZErrorBodySchema.parse(response.json());
    expect(body).toMatchObject({
      type: `/docs/errors#${code}`,
      title: ERRORS[code].title,
      status: ERRORS[code].status,
      detail: body.error,
      instance: (request.url as string).split('?')[0],
      requestId: response.headers['request-id'],
    });
    expect(body.requestId).toMatch(/^req_[0-9A-Za-z]{22}$/);
    expect(response.body).not.toMatch(/\bat .*\.(ts|js):\d+|stack|FST_/);
    return body;
  }

  const json = { 'content-type': 'application/json' };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  type Case = [label: string, request: () => InjectOptions, code: ErrorCode];
  it.each<Case>([
    ['an unknown route', () => ({ method: 'GET', url: '/api/v1/nothing-here' }), 'NOT_FOUND'],
    ['an unknown nested route', () => ({ method: 'GET', url: '/api/v1/tokens/x/y/z' }), 'NOT_FOUND'],
    [
      'a method the route does not have',
      () => ({ method: 'PUT', url: '/api/v1/tokens', headers: bearer(writer) }),
      'NOT_FOUND',
    ],
    [
      'malformed JSON',
      () => ({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { ...json, ...bearer(writer) },
        payload: '{"name": ',
      }),
      'VALIDATION_FAILED',
    ],
    [
      'a JSON body that is not an object',
      () => ({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { ...json, ...bearer(writer) },
        payload: '["a"]',
      }),
      'VALIDATION_FAILED',
    ],
    [
      'a body with a __proto__ key',
      () => ({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { ...json, ...bearer(writer) },
        payload: '{"name":"x","__proto__":{"admin":true}}',
      }),
      'VALIDATION_FAILED',
    ],
    [
      'a body over the limit',
      () => ({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { ...json, ...bearer(writer) },
        payload: JSON.stringify({ name: 'x', description: 'a'.repeat(1024 * 1024) }),
      }),
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'a text/plain body',
      () => ({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { 'content-type': 'text/plain', ...bearer(writer) },
        payload: '{"name":"x"}',
      }),
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a form-encoded body',
      () => ({
        method: 'PATCH',
        url: '/api/v1/tokens/tok_x',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...bearer(writer) },
        payload: 'name=x',
      }),
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    ['no token', () => ({ method: 'GET', url: '/api/v1/tokens' }), 'MISSING_TOKEN'],
    [
      'a malformed token',
      () => ({ method: 'GET', url: '/api/v1/tokens', headers: bearer('tgp_nope') }),
      'MALFORMED_TOKEN',
    ],
    [
      'a token without the scope',
      () => ({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { ...json, ...bearer(reader) },
        payload: '{"name":"x"}',
      }),
      'INSUFFICIENT_SCOPE',
    ],
    [
      'an unknown scope',
      () => ({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { ...json, ...bearer(writer) },
        payload: JSON.stringify({ name: 'x', scopes: ['tokens:read', 'tokens:admin'] }),
      }),
      'UNKNOWN_SCOPE',
    ],
    [
      'a malformed percent-encoded sequence in the path',
      () => ({ method: 'GET', url: '/api/v1/tokens/%E0%A4%A', headers: bearer(reader) }),
      'VALIDATION_FAILED',
    ],
    [
      'a path parameter longer than any id',
      () => ({ method: 'GET', url: `/api/v1/tokens/${'a'.repeat(101)}`, headers: bearer(reader) }),
      'VALIDATION_FAILED',
    ],
    [
      'a token id that does not exist',
      () => ({ method: 'GET', url: '/api/v1/tokens/tok_missing', headers: bearer(reader) }),
      'NOT_FOUND',
    ],
  ])('%s → %s', async (_label, request, code) => {
    await expectError(request(), code);
  });

  it('names each invalid field in details', async () => {
    const body = await expectError(
      {
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { ...json, ...bearer(writer) },
        payload: JSON.stringify({ name: '', expiresInDays: 'soon' }),
      },
      'VALIDATION_FAILED',
    );
    expect(body.details?.map((detail) => detail.path).sort()).toEqual(['expiresInDays', 'name']);
    for (const detail of body.details ?? []) expect(detail.message).not.toBe('');
  });

  it('validates query parameters after converting them (limit is a number, a word is not)', async () => {
    const bad = await expectError(
      { method: 'GET', url: '/api/v1/tokens?limit=lots', headers: bearer(reader) },
      'VALIDATION_FAILED',
    );
    expect(bad.details).toEqual([expect.objectContaining({ path: 'limit' })]);
    const tooMany = await expectError(
      { method: 'GET', url: '/api/v1/tokens?limit=101', headers: bearer(reader) },
      'VALIDATION_FAILED',
    );
    expect(tooMany.details?.[0]?.path).toBe('limit');
    const fine = await app.inject({ method: 'GET', url: '/api/v1/tokens?limit=1', headers: bearer(reader) });
    expect(fine.statusCode).toBe(200);
    expect(fine.json().data).toHaveLength(1);
  });

  it('answers an internal failure with INTERNAL and the default sentence only', async () => {
    const spy = vi
      .spyOn(h.services.tokenCache, 'resolve')
      .mockRejectedValueOnce(
        new Error('relation "tokens" does not exist (SELECT * FROM tokens) at /srv/x.ts:12'),
      );
    try {
      // A token the cache has not seen, so verification has to resolve it.
      const { token } = await h.issueToken({
        organizationId: org.id,
        scopes: ['tokens:read'],
        type: 'service',
      });
      const response = await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: bearer(token) });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({
        success: false,
        error: ERRORS.INTERNAL.message,
        code: 'INTERNAL',
        type: '/docs/errors#INTERNAL',
        title: 'Internal error',
        status: 500,
        detail: ERRORS.INTERNAL.message,
        instance: '/api/v1/tokens',
        requestId: response.headers['request-id'],
      });
      expect(response.body).not.toMatch(/relation|SELECT|srv/);
    } finally {
      spy.mockRestore();
    }
  });

  it('accepts an empty body with Content-Type: application/json as no body', async () => {
    const { id } = await h.issueToken({
      organizationId: org.id,
      subjectUserId: org.users.admin.id,
      scopes: ['wiki:read'],
    });
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/tokens/${id}/deactivate`,
      headers: { ...json, ...bearer(writer) },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id, status: 'inactive' });
  });

  it('answers requests that are not valid HTTP with the §7 body, then closes the connection', async () => {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    const exchange = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => socket.end(request));
        let answer = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk) => {
          answer += chunk;
        });
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
    const cases: Array<[request: string, message: string]> = [
      [
        `GET /api/v1/tokens HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        'The request line and headers are too large.',
      ],
      ['GET /api/v1/tokens HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n', 'The request is not valid HTTP.'],
    ];
    for (const [request, message] of cases) {
      const answer = await exchange(request);
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(head).toMatch(/\r\ncontent-type: application\/problem\+json/i);
      expect(head).toMatch(/\r\ncache-control: no-store/i);
      const requestId = /\r\nrequest-id: (req_\w+)/i.exec(head)?.[1];
      expect(requestId).toBeDefined();
      // No request could be parsed, so there is no path to name as the instance.
      expect(JSON.parse(body)).toEqual({
        success: false,
        error: message,
        code: 'VALIDATION_FAILED',
        type: '/docs/errors#VALIDATION_FAILED',
        title: 'Validation failed',
        status: 400,
        detail: message,
        requestId,
      });
    }
  });

  it('keeps paths outside /api/v1 out of its error handling', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });
});
