import { hashToken, type WebhookEventType } from '@tollgate/domain';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REUSE_EVENT_INTERVAL_MS } from '../src/core/token-reuse.ts';
import { appRouter } from '../src/routers/root.ts';
import { codeOf, failureOf } from '../src/routers/tokens/test-helpers.ts';
import { buildServer } from '../src/server.ts';
import { createServices } from '../src/services.ts';
import { createContextInner } from '../src/trpc/context.ts';
import { createCallerFactory } from '../src/trpc/init.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';

/** §12 token families: a rotated-away secret presented after its grace is refused, audited and reported. */
let h: TestHarness;
let app: FastifyInstance;

beforeAll(async () => {
  h = await createTestHarness();
  app = await buildServer({ services: h.services });
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const CLIENT = { ip: '203.0.113.9', userAgent: 'old-pipeline/1.0' };

/** GET /api/v1/tokens/self with `secret`, from CLIENT. */
async function whoami(secret: string) {
  const response = await app.inject({
    method: 'GET',
    url: '/api/v1/tokens/self',
    remoteAddress: CLIENT.ip,
    headers: { authorization: `Bearer ${secret}`, 'user-agent': CLIENT.userAgent },
  });
  return { status: response.statusCode, body: response.json() };
}

async function setup(policy: { revokeOnReuse?: boolean } = {}) {
  const org = await h.seedOrganization({ policy });
  const owner = await h.issueToken({
    organizationId: org.id,
    subjectUserId: org.users.owner.id,
    scopes: ['tokens:read', 'tokens:write', 'wiki:read'],
  });
  const manager = h.callerWithToken(owner.token);
  const created = await manager.tokens.create({ name: 'CI', type: 'service', scopes: ['wiki:read'] });
  return { org, manager, created };
}

async function reuseAuditOf(tokenId: string) {
  return h.services.db
    .selectFrom('auditLogs')
    .select(['actorType', 'ip', 'userAgent', 'detail'])
    .where('targetId', '=', tokenId)
    .where('action', '=', 'token.reuse_detected')
    .execute();
}

async function eventsOf(org: SeededOrganization, type: WebhookEventType) {
  const rows = await h.services.db
    .selectFrom('webhookEvents')
    .select('payload')
    .where('organizationId', '=', org.id)
    .where('type', '=', type)
    .orderBy('createdAt')
    .execute();
  return rows.map((row) => row.payload as Record<string, unknown>);
}

const ROTATED = {
  success: false,
  code: 'INVALID_TOKEN',
  error: expect.stringMatching(/rotated.*Use the new token/),
};

describe('a retired secret', () => {
  it('after a rotation without grace: 401 "rotated", one audit entry per presentation, one event per hour', async () => {
    const { org, manager, created } = await setup();
    const rotated = await manager.tokens.rotate({ id: created.id });

    expect(await whoami(created.token)).toMatchObject({ status: 401, body: ROTATED });
    const audit = await reuseAuditOf(created.id);
    expect(audit).toEqual([
      {
        actorType: 'system',
        ip: CLIENT.ip,
        userAgent: CLIENT.userAgent,
        detail: expect.objectContaining({ retiredPrefix: created.prefix, revokeOnReuse: false }),
      },
    ]);
    const events = await eventsOf(org, 'token.reuse_detected');
    expect(events).toEqual([
      expect.objectContaining({
        ip: CLIENT.ip,
        userAgent: CLIENT.userAgent,
        retiredPrefix: created.prefix,
        token: expect.objectContaining({ id: created.id, status: 'active' }),
      }),
    ]);
    // Nothing of the secret is kept or told: not in the audit entry, not in the event.
    const written = JSON.stringify([audit, events]);
    expect(written).not.toContain(created.token);
    expect(written).not.toContain(hashToken(created.token));

    // Presented again: audited again (each request reached the database), no second event within the hour.
    expect((await whoami(created.token)).body).toMatchObject(ROTATED);
    expect((await whoami(created.token)).body).toMatchObject(ROTATED);
    expect(await reuseAuditOf(created.id)).toHaveLength(3);
    expect(await eventsOf(org, 'token.reuse_detected')).toHaveLength(1);
    h.clock.advance(REUSE_EVENT_INTERVAL_MS);
    expect((await whoami(created.token)).body).toMatchObject(ROTATED);
    expect(await eventsOf(org, 'token.reuse_detected')).toHaveLength(2);

    // Without revokeOnReuse the token lives on with its new secret.
    expect((await whoami(rotated.token)).status).toBe(200);
    expect(await eventsOf(org, 'token.revoked')).toEqual([]);
  });

  it('after a grace: refused and reported once the grace ends, and still after the next rotation', async () => {
    const { org, manager, created } = await setup();
    const second = await manager.tokens.rotate({ id: created.id, gracePeriodSeconds: 60 });
    expect((await whoami(created.token)).status).toBe(200); // in its grace: no reuse
    expect(await reuseAuditOf(created.id)).toEqual([]);
    h.clock.advance(61_000);
    expect(await whoami(created.token)).toMatchObject({ status: 401, body: ROTATED });
    expect(await reuseAuditOf(created.id)).toHaveLength(1);

    // A second rotation (with a grace of its own): the first secret is only in the family now, still reported.
    const third = await manager.tokens.rotate({ id: created.id, gracePeriodSeconds: 60 });
    expect((await whoami(second.token)).status).toBe(200);
    expect((await whoami(third.token)).status).toBe(200);
    expect(await whoami(created.token)).toMatchObject({ status: 401, body: ROTATED });
    expect(await reuseAuditOf(created.id)).toHaveLength(2);
    expect(await eventsOf(org, 'token.reuse_detected')).toHaveLength(1);
  });

  it('a rotation during a grace ends the earlier grace at once', async () => {
    const { manager, created } = await setup();
    await manager.tokens.rotate({ id: created.id, gracePeriodSeconds: 3_600 });
    expect((await whoami(created.token)).status).toBe(200);
    await manager.tokens.rotate({ id: created.id });
    expect(await whoami(created.token)).toMatchObject({ status: 401, body: ROTATED });
    expect(await reuseAuditOf(created.id)).toHaveLength(1);
  });

  it('over tRPC: INVALID_TOKEN saying it was rotated', async () => {
    const { manager, created } = await setup();
    await manager.tokens.rotate({ id: created.id });
    const failure = await failureOf(h.callerWithToken(created.token, CLIENT).tokens.self());
    expect(failure.code).toBe('INVALID_TOKEN');
    expect(failure.message).toMatch(/rotated/);
    expect(await reuseAuditOf(created.id)).toEqual([
      expect.objectContaining({ ip: CLIENT.ip, userAgent: CLIENT.userAgent }),
    ]);
  });

  it('is forgotten with its token: after a delete it is an unknown token, not reported', async () => {
    const { org, manager, created } = await setup();
    await manager.tokens.rotate({ id: created.id });
    await manager.tokens.delete({ id: created.id });
    const answer = await whoami(created.token);
    expect(answer.status).toBe(401);
    expect(answer.body.error).not.toMatch(/rotated/);
    expect(await eventsOf(org, 'token.reuse_detected')).toEqual([]);
  });

  it('a secret that never existed is INVALID_TOKEN without "rotated" and writes nothing', async () => {
    const { org, manager, created } = await setup();
    const other = await manager.tokens.create({ name: 'other', type: 'service', scopes: ['wiki:read'] });
    await manager.tokens.delete({ id: other.id });
    const before = await h.services.db.selectFrom('auditLogs').select('id').execute();
    const answer = await whoami(other.token);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ code: 'INVALID_TOKEN' });
    expect(answer.body.error).not.toMatch(/rotated/);
    expect(await h.services.db.selectFrom('auditLogs').select('id').execute()).toHaveLength(before.length);
    expect(await reuseAuditOf(created.id)).toEqual([]);
    expect(await eventsOf(org, 'token.reuse_detected')).toEqual([]);
  });
});

describe('policy revokeOnReuse', () => {
  it('revokes the token with reason reuse, honoured by another process within a second', async () => {
    const { org, manager, created } = await setup({ revokeOnReuse: true });
    const rotated = await manager.tokens.rotate({ id: created.id });
    const other = createServices({
      env: h.env,
      database: h.database,
      log: pino({ level: 'silent' }),
      clock: h.clock,
      usageFlushIntervalMs: 60_000,
      webhookWorker: false,
    });
    await other.start();
    try {
      const otherCaller = createCallerFactory(appRouter)(
        createContextInner({ services: other, request: { authorization: `Bearer ${rotated.token}` } }),
      );
      expect(await codeOf(otherCaller.tokens.self())).toBe('OK'); // warm in the other process

      const reusedAt = Date.now();
      expect(await whoami(created.token)).toMatchObject({ status: 401, body: ROTATED });
      let code = 'OK';
      while (code === 'OK' && Date.now() - reusedAt < 2_000) {
        code = await codeOf(otherCaller.tokens.self());
        if (code === 'OK') await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(code).toBe('TOKEN_REVOKED');
      expect(Date.now() - reusedAt).toBeLessThan(1_000);
    } finally {
      await other.stop();
    }
    expect(await manager.tokens.get({ id: created.id })).toMatchObject({
      status: 'revoked',
      revokedReason: 'reuse',
    });
    expect(await reuseAuditOf(created.id)).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ revokeOnReuse: true }) }),
    ]);
    expect(await eventsOf(org, 'token.revoked')).toEqual([
      expect.objectContaining({ reason: 'reuse', token: expect.objectContaining({ id: created.id }) }),
    ]);
    // Presented again: still "rotated" (the secret was retired before the token was revoked), no second revoke.
    expect(await whoami(created.token)).toMatchObject({ status: 401, body: ROTATED });
    expect(await eventsOf(org, 'token.revoked')).toHaveLength(1);
  });
});
