import { TOKEN_REVOKED_REASONS, type TTokenRevokedReason } from '@tollgate/domain';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeToken } from '../src/core/tokens.ts';
import { callerAs } from '../src/routers/tokens/test-helpers.ts';
import { buildServer } from '../src/server.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';

/** §3 revokedReason: why a token was revoked, on the token object everywhere, in the audit entry and the event. */
let h: TestHarness;
let org: SeededOrganization;
let app: FastifyInstance;
let admin: string;

beforeAll(async () => {
  h = await createTestHarness();
  org = await h.seedOrganization();
  app = await buildServer({ services: h.services });
  admin = (
    await h.issueToken({
      organizationId: org.id,
      subjectUserId: org.users.admin.id,
      scopes: ['tokens:read', 'tokens:write', 'wiki:read'],
    })
  ).token;
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const rest = (method: 'GET' | 'POST', url: string, body?: unknown) =>
  app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${admin}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });

async function newServiceToken(name: string): Promise<string> {
  const created = await rest('POST', '/api/v1/tokens', {
    name,
    type: 'service',
    scopes: ['wiki:read'],
  });
  expect(created.statusCode).toBe(201);
  return created.json().id;
}

/** What a subscriber and an auditor would see about the token's revocation. */
async function recordsOf(tokenId: string) {
  const audit = await h.services.db
    .selectFrom('auditLogs')
    .select(['action', 'detail'])
    .where('targetId', '=', tokenId)
    .where('action', '=', 'token.revoked')
    .execute();
  const events = await h.services.db
    .selectFrom('webhookEvents')
    .select('payload')
    .where('type', '=', 'token.revoked')
    .execute();
  return {
    audit,
    events: events
      .map(
        (event) =>
          event.payload as {
            reason?: string;
            token?: { id?: string; revokedReason?: string };
          },
      )
      .filter((payload) => payload.token?.id === tokenId),
  };
}

describe('revokedReason', () => {
  it('is null on a token that is not revoked (REST and tRPC alike)', async () => {
    const id = await newServiceToken('alive');
    expect((await rest('GET', `/api/v1/tokens/${id}`)).json()).toMatchObject({
      status: 'active',
      revokedReason: null,
    });
    const caller = await callerAs(h, org, 'admin');
    expect(await caller.tokens.get({ id })).toMatchObject({
      revokedReason: null,
    });
  });

  it('is manual when a person or token revokes, even if the request claims another reason', async () => {
    const id = await newServiceToken('by hand');
    const revoked = await rest('POST', `/api/v1/tokens/${id}/revoke`, {
      reason: 'exposed',
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({
      status: 'revoked',
      revokedReason: 'manual',
    });
    expect((await rest('GET', `/api/v1/tokens/${id}`)).json()).toMatchObject({
      revokedReason: 'manual',
    });
    const listed = (await rest('GET', '/api/v1/tokens?status=revoked&limit=100')).json();
    expect(listed.data.find((token: { id: string }) => token.id === id)).toMatchObject({
      revokedReason: 'manual',
    });

    const caller = await callerAs(h, org, 'admin');
    const viaTrpc = await caller.tokens.create({
      name: 'by hand, tRPC',
      type: 'service',
      scopes: ['wiki:read'],
    });
    expect(await caller.tokens.revoke({ id: viaTrpc.id })).toMatchObject({
      revokedReason: 'manual',
    });

    const { audit, events } = await recordsOf(id);
    expect(audit).toEqual([
      {
        action: 'token.revoked',
        detail: expect.objectContaining({ reason: 'manual' }),
      },
    ]);
    expect(events).toEqual([
      expect.objectContaining({
        reason: 'manual',
        token: expect.objectContaining({ revokedReason: 'manual' }),
      }),
    ]);
  });

  it.each(TOKEN_REVOKED_REASONS.map((reason) => [reason]))(
    'the core revoke takes the reason %s: token object, audit detail and token.revoked event carry it',
    async (reason: TTokenRevokedReason) => {
      const id = await newServiceToken(`reason ${reason}`);
      const returned = await revokeToken(
        h.services,
        { kind: 'system', organizationId: org.id },
        { id, reason },
      );
      expect(returned).toMatchObject({
        status: 'revoked',
        revokedReason: reason,
      });
      expect((await rest('GET', `/api/v1/tokens/${id}`)).json()).toMatchObject({
        revokedReason: reason,
      });
      const { audit, events } = await recordsOf(id);
      expect(audit.map((entry) => entry.detail)).toEqual([expect.objectContaining({ reason })]);
      expect(events).toEqual([
        expect.objectContaining({
          reason,
          token: expect.objectContaining({ revokedReason: reason }),
        }),
      ]);
    },
  );

  it('a second revoke is a CONFLICT and keeps the first reason', async () => {
    const id = await newServiceToken('twice');
    await revokeToken(h.services, { kind: 'system', organizationId: org.id }, { id, reason: 'exposed' });
    const again = await rest('POST', `/api/v1/tokens/${id}/revoke`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'CONFLICT' });
    expect((await rest('GET', `/api/v1/tokens/${id}`)).json()).toMatchObject({
      revokedReason: 'exposed',
    });
  });

  it('is in the OpenAPI document as a nullable enum of the four reasons', async () => {
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const text = JSON.stringify(document);
    expect(text).toContain('"revokedReason"');
    for (const reason of TOKEN_REVOKED_REASONS) expect(text).toContain(`"${reason}"`);
  });
});
