import { tokenPattern } from '@tollgate/domain';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, failureOf } from '../src/routers/tokens/test-helpers.ts';
import { buildServer } from '../src/server.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';
import { signIn } from './helpers/sessions.ts';

/** §3 self-rotate: any valid token renews its own secret, without tokens:write. */
let h: TestHarness;
let org: SeededOrganization;
let app: FastifyInstance;

beforeAll(async () => {
  h = await createTestHarness();
  org = await h.seedOrganization();
  app = await buildServer({ services: h.services });
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const post = (secret: string | null, body?: unknown) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/tokens/self/rotate',
    headers: {
      ...(secret === null ? {} : { authorization: `Bearer ${secret}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
const whoami = async (secret: string) =>
  (
    await app.inject({
      method: 'GET',
      url: '/api/v1/tokens/self',
      headers: { authorization: `Bearer ${secret}` },
    })
  ).statusCode;

/** A CI job's token: a service token that can only read the wiki (no tokens:write). */
const ciToken = (overrides: { expiresAt?: Date; revokedAt?: Date } = {}) =>
  h.issueToken({ organizationId: org.id, type: 'service', scopes: ['wiki:read'], ...overrides });

describe('POST /api/v1/tokens/self/rotate', () => {
  it('gives the calling token a new secret (same id and settings); the old one is refused at once by default', async () => {
    const { id, token } = await ciToken();
    const response = await post(token);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const rotated = response.json();
    expect(rotated).toMatchObject({ id, type: 'service', scopes: ['wiki:read'], status: 'active' });
    expect(rotated.token).toMatch(tokenPattern());
    expect(rotated.token).not.toBe(token);
    expect(rotated.prefix).toBe(rotated.token.slice(0, 12));
    expect(await whoami(rotated.token)).toBe(200);
    const old = await app.inject({
      method: 'GET',
      url: '/api/v1/tokens/self',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(old.statusCode).toBe(401);
    expect(old.json()).toMatchObject({ code: 'INVALID_TOKEN', error: expect.stringMatching(/rotated/) });

    const audit = await h.services.db
      .selectFrom('auditLogs')
      .select(['action', 'actorType', 'actorId', 'detail'])
      .where('targetId', '=', id)
      .where('action', '=', 'token.rotated')
      .execute();
    expect(audit).toEqual([
      {
        action: 'token.rotated',
        actorType: 'token',
        actorId: id,
        detail: expect.objectContaining({ gracePeriodSeconds: 0 }),
      },
    ]);
    const events = await h.services.db
      .selectFrom('webhookEvents')
      .select('payload')
      .where('organizationId', '=', org.id)
      .where('type', '=', 'token.rotated')
      .execute();
    expect(events.map((event) => (event.payload as { token: { id: string } }).token.id)).toContain(id);
    expect(JSON.stringify([audit, events])).not.toContain(rotated.token);
  });

  it('keeps the old secret working for the grace chosen, then refuses it', async () => {
    const { token } = await ciToken();
    const response = await post(token, { gracePeriodSeconds: 600 });
    expect(response.statusCode).toBe(200);
    expect(await whoami(token)).toBe(200);
    expect(await whoami(response.json().token)).toBe(200);
    h.clock.advance(601_000);
    expect(await whoami(token)).toBe(401);
    expect(await whoami(response.json().token)).toBe(200);
  });

  it.each([
    [{ gracePeriodSeconds: -1 }, 'gracePeriodSeconds'],
    [{ gracePeriodSeconds: 604_801 }, 'gracePeriodSeconds'],
    [{ gracePeriodSeconds: 1.5 }, 'gracePeriodSeconds'],
    [{ gracePeriodSeconds: '60' }, 'gracePeriodSeconds'],
  ])('refuses %j with 400 VALIDATION_FAILED and keeps the secret', async (body, path) => {
    const { token } = await ciToken();
    const response = await post(token, body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: expect.arrayContaining([expect.objectContaining({ path })]),
    });
    expect(await whoami(token)).toBe(200);
  });

  it.each([
    ['no token', async () => null, 401, 'MISSING_TOKEN'],
    ['a revoked token', async () => (await ciToken({ revokedAt: new Date() })).token, 401, 'TOKEN_REVOKED'],
    [
      'an expired token',
      async () => (await ciToken({ expiresAt: new Date(Date.now() - 1) })).token,
      401,
      'TOKEN_EXPIRED',
    ],
  ])('%s: %i %s', async (_case, secret, status, code) => {
    const response = await post(await secret());
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code });
  });
});

describe('tokens.selfRotate (tRPC)', () => {
  it('rotates the calling token with the same grace choice', async () => {
    const { id, token } = await ciToken();
    const rotated = await h.callerWithToken(token).tokens.selfRotate({ gracePeriodSeconds: 60 });
    expect(rotated).toMatchObject({ id, token: expect.stringMatching(tokenPattern()) });
    expect(await codeOf(h.callerWithToken(token).tokens.self())).toBe('OK');
    expect(await codeOf(h.callerWithToken(rotated.token).tokens.self())).toBe('OK');
  });

  it('is for tokens only: a signed-in session is FORBIDDEN', async () => {
    const browser = await signIn(h, org.users.member.email, org.users.member.password);
    const failure = await failureOf(h.caller(browser).tokens.selfRotate({}));
    expect(failure.code).toBe('FORBIDDEN');
  });
});
