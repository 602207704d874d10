import { ERRORS } from '@tollgate/domain';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server.ts';
import {
  findUnstorableText,
  LONE_SURROGATE_MESSAGE,
  NUL_CHARACTER_MESSAGE,
} from '../src/trpc/nul-character.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';
import { browserRequest, failureOf } from './helpers/sessions.ts';

/** A JSON array nested `depth` levels deep around `inner`, built without recursion. */
function nested(depth: number, inner: unknown): unknown {
  let value = inner;
  for (let level = 0; level < depth; level++) value = [value];
  return value;
}

describe('findUnstorableText', () => {
  const pathOfNulCharacter = (input: unknown) => findUnstorableText(input)?.path ?? null;
  it.each<[label: string, input: unknown, path: string | null]>([
    ['a plain object', { name: 'x', tags: ['a', 'b'], n: 1, ok: true, none: null }, null],
    ['the input itself', 'a\u0000b', ''],
    ['a field', { name: 'ok', description: 'bad\u0000' }, 'description'],
    ['an array item', { scopes: ['a', 'b', '\u0000'] }, 'scopes.2'],
    [
      'a nested field',
      {
        findings: [
          { line: 1, message: 'x' },
          { line: 2, message: '\u0000' },
        ],
      },
      'findings.1.message',
    ],
    ['an object key', { metadata: { 'a\u0000': 'x' } }, 'metadata.a\u0000'],
    ['the first of two, in document order', { a: '\u0000', b: '\u0000' }, 'a'],
  ])('%s', (_label, input, path) => {
    expect(pathOfNulCharacter(input)).toBe(path);
  });

  it.each<[label: string, input: unknown, found: { path: string; message: string } | null]>([
    [
      'a surrogate pair (an emoji) is well formed',
      { name: 'ok \ud83d\ude00', key: { '\ud83d\ude00': 1 } },
      null,
    ],
    ['a lone high surrogate', { name: 'x\ud800y' }, { path: 'name', message: LONE_SURROGATE_MESSAGE }],
    ['a lone low surrogate', { tags: ['a', '\udfff'] }, { path: 'tags.1', message: LONE_SURROGATE_MESSAGE }],
    ['a pair the wrong way round', { s: '\ude00\ud83d' }, { path: 's', message: LONE_SURROGATE_MESSAGE }],
    ['a high surrogate at the end', { s: 'x\ud83d' }, { path: 's', message: LONE_SURROGATE_MESSAGE }],
    ['in an object key', { m: { '\udfff': 1 } }, { path: 'm.\udfff', message: LONE_SURROGATE_MESSAGE }],
    [
      'NUL before a surrogate in one string',
      { s: '\u0000\udfff' },
      { path: 's', message: NUL_CHARACTER_MESSAGE },
    ],
  ])('lone surrogates: %s', (_label, input, found) => {
    expect(findUnstorableText(input)).toEqual(found);
  });

  it('walks a body nested deeper than the call stack allows', () => {
    expect(pathOfNulCharacter(nested(200_000, 'x'))).toBeNull();
    expect(pathOfNulCharacter({ body: nested(200_000, '\u0000') })).toBe(`body${'.0'.repeat(200_000)}`);
  });
});

/**
 * PostgreSQL text cannot hold U+0000. Any input holding it is refused as VALIDATION_FAILED naming the field,
 * on both surfaces, after authentication, and nothing is written — never a 500 from the database.
 */
describe('inputs holding the NUL character', () => {
  let h: TestHarness;
  let org: SeededOrganization;
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    h = await createTestHarness();
    org = await h.seedOrganization();
    app = await buildServer({ services: h.services });
    token = (
      await h.issueToken({
        organizationId: org.id,
        type: 'service',
        scopes: [
          'tokens:read',
          'tokens:write',
          'repositories:write',
          'wiki:read',
          'wiki:write',
          'organization:write',
        ],
      })
    ).token;
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  type Case = [method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body: object | undefined, path: string];
  it.each<Case>([
    ['POST', '/api/v1/repositories', { name: 'repo\u0000' }, 'name'],
    ['PUT', '/api/v1/wiki/pages/nul', { title: 'Title', body: 'line\u0000' }, 'body'],
    ['PATCH', '/api/v1/organization', { name: '\u0000' }, 'name'],
    ['POST', '/api/v1/tokens', { name: 'x', scopes: ['tokens:read\u0000'] }, 'scopes.0'],
    ['GET', '/api/v1/tokens?q=a%00b', undefined, 'q'],
    ['POST', '/api/v1/tokens/%00/deactivate', undefined, 'id'],
    ['GET', '/api/v1/wiki/pages/a%00', undefined, 'slug'],
  ])('REST %s %s → 400 VALIDATION_FAILED', async (method, url, body, path) => {
    const response = await app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
    // The §7 fields exactly; the problem fields are held by rest.errors.test.ts.
    expect({ status: response.statusCode, body: response.json() }).toMatchObject({
      status: 400,
      body: {
        success: false,
        error: ERRORS.VALIDATION_FAILED.message,
        code: 'VALIDATION_FAILED',
        details: [{ path, message: NUL_CHARACTER_MESSAGE }],
      },
    });
  });

  it('writes nothing', async () => {
    const page = await app.inject({
      method: 'GET',
      url: '/api/v1/wiki/pages/nul',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(page.statusCode).toBe(404);
  });

  it('checks the token first: without one, the answer is still MISSING_TOKEN', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/tokens?q=%00',
    });
    expect({ status: response.statusCode, code: response.json().code }).toEqual({
      status: 401,
      code: 'MISSING_TOKEN',
    });
  });

  it('is refused the same way through tRPC, protected and public procedures alike', async () => {
    const list = await failureOf(h.callerWithToken(token).tokens.list({ q: 'a\u0000' }));
    expect(list).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'q', message: NUL_CHARACTER_MESSAGE }],
    });
    const login = await failureOf(
      h.caller(browserRequest({ ip: '203.0.113.9' })).auth.login({ email: 'a\u0000@x.test', password: 'x' }),
    );
    expect(login).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'email' }],
    });
  });
});
