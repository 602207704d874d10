import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../src/auth/session.ts';
import { buildServer } from '../src/server.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';
import { signIn } from './helpers/sessions.ts';

/**
 * Session cookies on /api/v1 (§2, §5, §7): accepted only from the server's own origin, refused with
 * SESSIONS_NOT_ALLOWED when the organisation allows tokens only, and held to CSRF for mutations.
 */
describe('REST facade: session cookies', () => {
  let h: TestHarness;
  let app: FastifyInstance;
  let open: SeededOrganization;
  let strict: SeededOrganization;

  beforeAll(async () => {
    h = await createTestHarness();
    open = await h.seedOrganization();
    strict = await h.seedOrganization({ policy: { apiAccess: 'tokens_only' } });
    app = await buildServer({ services: h.services });
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  async function sessionOf(organization: SeededOrganization) {
    const { email, password } = organization.users.admin;
    const browser = await signIn(h, email, password, { organizationSlug: organization.slug });
    const cookie = browser.jar.get(SESSION_COOKIE)?.value;
    if (!cookie) throw new Error('sign-in set no session cookie');
    return { cookie: `${SESSION_COOKIE}=${cookie}`, csrfToken: browser.csrfToken as string };
  }

  // app.inject sends `Host: localhost:80`.
  type Case = [label: string, status: number, code: string | null, headers: Record<string, string>];
  it.each<Case>([
    ['no Origin and no Sec-Fetch-Site (a script replaying the cookie)', 401, 'MISSING_TOKEN', {}],
    ['Sec-Fetch-Site: cross-site', 401, 'MISSING_TOKEN', { 'sec-fetch-site': 'cross-site' }],
    [
      'Sec-Fetch-Site: same-site (a sibling subdomain)',
      401,
      'MISSING_TOKEN',
      { 'sec-fetch-site': 'same-site' },
    ],
    ['an Origin of another site', 401, 'MISSING_TOKEN', { origin: 'https://evil.example' }],
    ['an Origin on another port', 401, 'MISSING_TOKEN', { origin: 'http://localhost:8080' }],
    ['Origin: null (a sandboxed page)', 401, 'MISSING_TOKEN', { origin: 'null' }],
    [
      'a matching Origin but Sec-Fetch-Site: cross-site',
      401,
      'MISSING_TOKEN',
      { origin: 'http://localhost', 'sec-fetch-site': 'cross-site' },
    ],
    ['Sec-Fetch-Site: same-origin', 200, null, { 'sec-fetch-site': 'same-origin' }],
    ["an Origin of the server's own host", 200, null, { origin: 'http://localhost' }],
  ])('a GET with a session cookie and %s → %i', async (_label, status, code, headers) => {
    const { cookie } = await sessionOf(open);
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: { cookie, ...headers },
    });
    expect(response.statusCode).toBe(status);
    if (code) expect(response.json()).toMatchObject({ success: false, code });
    else expect(response.json()).toHaveProperty('data');
  });

  it('holds same-origin cookie mutations to the CSRF token', async () => {
    const { cookie, csrfToken } = await sessionOf(open);
    const headers = { cookie, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' };
    const payload = JSON.stringify({ name: 'from the browser', scopes: ['wiki:read'] });
    const withoutCsrf = await app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload });
    expect([withoutCsrf.statusCode, withoutCsrf.json().code]).toEqual([403, 'FORBIDDEN']);
    const withCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { ...headers, 'x-csrf-token': csrfToken },
      payload,
    });
    expect(withCsrf.statusCode).toBe(201);
  });

  it('refuses sessions with SESSIONS_NOT_ALLOWED when the organisation allows tokens only', async () => {
    const { cookie, csrfToken } = await sessionOf(strict);
    const read = await app.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: { cookie, 'sec-fetch-site': 'same-origin' },
    });
    expect([read.statusCode, read.json()]).toMatchObject([
      403,
      { success: false, code: 'SESSIONS_NOT_ALLOWED', error: expect.any(String) },
    ]);
    const write = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: {
        cookie,
        'sec-fetch-site': 'same-origin',
        'x-csrf-token': csrfToken,
        'content-type': 'application/json',
      },
      payload: JSON.stringify({ name: 'refused' }),
    });
    expect([write.statusCode, write.json().code]).toEqual([403, 'SESSIONS_NOT_ALLOWED']);

    // Tokens still work there, and the web app's own tRPC calls with the session are not affected.
    const { token } = await h.issueToken({
      organizationId: strict.id,
      subjectUserId: strict.users.admin.id,
      scopes: ['tokens:read'],
    });
    const withToken = await app.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(withToken.statusCode).toBe(200);
    const overTrpc = await app.inject({
      method: 'GET',
      url: `/trpc/tokens.list?input=${encodeURIComponent('{}')}`,
      headers: { cookie, 'sec-fetch-site': 'same-origin' },
    });
    expect(overTrpc.statusCode).toBe(200);
  });
});
