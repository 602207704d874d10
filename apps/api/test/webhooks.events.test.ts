import { CREDITS_LOW_THRESHOLD, SCOPE_NAMES } from '@tollgate/domain';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerAs, codeOf } from '../src/routers/tokens/test-helpers.ts';
import { buildServer } from '../src/server.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';

/** The events each change writes to the outbox, and the webhook endpoints over /api/v1. */
let h: TestHarness;

beforeAll(async () => {
  h = await createTestHarness();
});
afterAll(async () => {
  await h?.close();
});

/** The organisation's events in the order of their changes (tests move the clock between changes). */
async function eventsOf(organizationId: string) {
  return h.services.db
    .selectFrom('webhookEvents')
    .select(['type', 'payload'])
    .where('organizationId', '=', organizationId)
    .orderBy('createdAt')
    .orderBy('type')
    .execute();
}

/** Runs a change a millisecond after the one before, so its events sort after theirs. */
async function step<T>(change: Promise<T> | (() => Promise<T>)): Promise<T> {
  h.clock.advance(1);
  return typeof change === 'function' ? change() : change;
}

async function setBalance(organizationId: string, creditBalance: number) {
  await h.services.db
    .updateTable('organizations')
    .set({ creditBalance })
    .where('id', '=', organizationId)
    .execute();
}

describe('every change writes its event, in its own transaction', () => {
  let org: SeededOrganization;
  let owner: Awaited<ReturnType<typeof callerAs>>;
  beforeAll(async () => {
    org = await h.seedOrganization({ tier: 'enterprise' });
    owner = await callerAs(h, org, 'owner');
  });

  it('the token lifecycle, without any secret in a payload', async () => {
    const created = await step(() => owner.tokens.create({ name: 'ci', scopes: ['reviews:read'] }));
    await step(() => owner.tokens.update({ id: created.id, name: 'ci pipeline' }));
    await step(() => owner.tokens.update({ id: created.id, name: 'ci pipeline' })); // no change: no event
    await step(() => owner.tokens.deactivate({ id: created.id }));
    await step(() => owner.tokens.reactivate({ id: created.id }));
    const rotated = await step(() => owner.tokens.rotate({ id: created.id }));
    await step(() => owner.tokens.revoke({ id: created.id }));
    await step(() => owner.tokens.delete({ id: created.id }));
    const events = await eventsOf(org.id);
    expect(events.map((event) => event.type)).toEqual([
      'token.created',
      'token.updated',
      'token.deactivated',
      'token.reactivated',
      'token.rotated',
      'token.revoked',
      'token.deleted',
    ]);
    expect(events.map((event) => (event.payload.token as { status: string }).status)).toEqual([
      'active',
      'active',
      'inactive',
      'active',
      'active',
      'revoked',
      'revoked',
    ]);
    const all = JSON.stringify(events);
    expect(all).not.toContain(created.token);
    expect(all).not.toContain(rotated.token);
    for (const event of events) expect(event.payload.token).not.toHaveProperty('token');
  });

  it('members added, re-roled and removed', async () => {
    const user = await h.seedUser('member', null, 'joiner');
    await step(() => owner.members.add({ email: user.email, role: 'viewer' }));
    await step(() => owner.members.changeRole({ userId: user.id, role: 'admin' }));
    await step(() => owner.members.remove({ userId: user.id }));
    const events = (await eventsOf(org.id)).filter((event) => event.type.startsWith('member.'));
    expect(events).toEqual([
      {
        type: 'member.added',
        payload: { member: expect.objectContaining({ userId: user.id, role: 'viewer' }) },
      },
      {
        type: 'member.role_changed',
        payload: {
          member: expect.objectContaining({ userId: user.id, role: 'admin' }),
          previousRole: 'viewer',
        },
      },
      {
        type: 'member.removed',
        payload: { member: expect.objectContaining({ userId: user.id, role: 'admin' }) },
      },
    ]);
  });

  it('reviews queued and completed, purchases, and credits.low once per downward crossing', async () => {
    const fresh = await h.seedOrganization({ tier: 'enterprise' });
    const admin = await callerAs(h, fresh, 'owner');
    const repository = await admin.repositories.create({ name: 'acme/api' });
    await setBalance(fresh.id, CREDITS_LOW_THRESHOLD + 1);
    const trigger = () => admin.reviews.trigger({ repositoryId: repository.id, title: 'PR' });
    const first = await step(trigger); // 11 → 10: not low yet
    await step(trigger); // 10 → 9: crosses
    await step(trigger); // 9 → 8: still low, no second event
    await step(() => admin.billing.purchase({ amount: 2 })); // 8 → 10
    await step(trigger); // 10 → 9: crosses again
    await step(() => admin.reviews.update({ id: first.id, status: 'running' }));
    await step(() => admin.reviews.update({ id: first.id, status: 'completed', findings: [] }));
    const events = await eventsOf(fresh.id);
    // Events of one change share its time and sort by type.
    expect(events.map((event) => event.type)).toEqual([
      'review.queued',
      'credits.low',
      'review.queued',
      'review.queued',
      'credits.purchased',
      'credits.low',
      'review.queued',
      'review.completed',
    ]);
    expect(events.filter((event) => event.type === 'credits.low').map((event) => event.payload)).toEqual([
      { balance: 9, threshold: CREDITS_LOW_THRESHOLD },
      { balance: 9, threshold: CREDITS_LOW_THRESHOLD },
    ]);
    expect(events.at(-1)?.payload).toMatchObject({ review: { id: first.id, status: 'completed' } });
  });

  it('a change refused half-way leaves no event', async () => {
    const fresh = await h.seedOrganization({ tier: 'enterprise' });
    const admin = await callerAs(h, fresh, 'owner');
    const repository = await admin.repositories.create({ name: 'acme/broke' });
    await setBalance(fresh.id, 0);
    expect(await codeOf(admin.reviews.trigger({ repositoryId: repository.id, title: 'PR' }))).toBe(
      'INSUFFICIENT_CREDITS',
    );
    expect(await eventsOf(fresh.id)).toEqual([]);
  });
});

describe('a change whose transaction fails after its event was written', () => {
  let broken: TestHarness;
  let failDeliveries = false;
  beforeAll(async () => {
    // Fails the outbox's delivery insert, the last statement of the change's transaction.
    broken = await createTestHarness({
      wrapDatabase: (database) => ({
        ...database,
        db: database.db.withPlugin({
          transformQuery(args) {
            const node = args.node as { kind: string; into?: { table?: { identifier?: { name?: string } } } };
            if (
              failDeliveries &&
              node.kind === 'InsertQueryNode' &&
              node.into?.table?.identifier?.name === 'webhook_deliveries'
            ) {
              throw new Error('the database went away');
            }
            return args.node;
          },
          transformResult: async (args) => args.result,
        }),
      }),
    });
  });
  afterAll(async () => {
    await broken?.close();
  });

  it('leaves neither the change nor its event', async () => {
    const org = await broken.seedOrganization({ tier: 'enterprise' });
    const owner = await callerAs(broken, org, 'owner');
    await owner.webhooks.create({ url: 'https://hooks.example.com/', events: ['token.created'] });
    failDeliveries = true;
    expect(await codeOf(owner.tokens.create({ name: 'never' }))).toBe('INTERNAL');
    failDeliveries = false;
    const tokens = await broken.services.db
      .selectFrom('tokens')
      .select('name')
      .where('organizationId', '=', org.id)
      .where('name', '=', 'never')
      .execute();
    const events = await broken.services.db
      .selectFrom('webhookEvents')
      .select('id')
      .where('organizationId', '=', org.id)
      .execute();
    expect([tokens, events]).toEqual([[], []]);
    await owner.tokens.create({ name: 'now it works' });
    expect(
      await broken.services.db
        .selectFrom('webhookDeliveries')
        .select('id')
        .execute()
        .then((rows) => rows.length),
    ).toBe(1);
  });
});

describe('REST /api/v1/webhooks', () => {
  let app: FastifyInstance;
  let org: SeededOrganization;
  let token: string;
  beforeAll(async () => {
    app = await buildServer({ services: h.services });
    org = await h.seedOrganization({ tier: 'enterprise' });
    token = (await h.issueToken({ organizationId: org.id, type: 'service', scopes: [...SCOPE_NAMES] })).token;
  });
  afterAll(async () => {
    await app?.close();
  });

  function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) {
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

  it('create (201, secret once), get, list, patch, events, deliveries, delete (204)', async () => {
    const created = await call('POST', '/webhooks', {
      url: 'https://hooks.example.com/rest',
      events: ['review.queued', 'credits.low'],
    });
    expect(created.statusCode).toBe(201);
    const subscription = created.json();
    expect(subscription.secret).toMatch(/^whsec_[0-9A-Za-z+/]{32}$/);

    const got = await call('GET', `/webhooks/${subscription.id}`);
    expect([got.statusCode, got.json()]).toEqual([200, { ...subscription, secret: undefined }]);
    expect(got.body).not.toContain(subscription.secret);
    const list = await call('GET', '/webhooks?limit=1');
    expect(list.json()).toMatchObject({ data: [{ id: subscription.id }], nextCursor: null });
    expect(list.body).not.toContain(subscription.secret);

    const patched = await call('PATCH', `/webhooks/${subscription.id}`, { active: false });
    expect([patched.statusCode, patched.json().active]).toEqual([200, false]);

    // /webhooks/events is the catalogue and outbox, not a subscription with the id "events".
    const events = await call('GET', '/webhooks/events?limit=5');
    expect(events.statusCode).toBe(200);
    expect(events.json()).toMatchObject({ catalogue: expect.any(Array), data: [], nextCursor: null });

    const deliveries = await call('GET', `/webhooks/${subscription.id}/deliveries`);
    expect([deliveries.statusCode, deliveries.json()]).toEqual([200, { data: [], nextCursor: null }]);

    const deleted = await call('DELETE', `/webhooks/${subscription.id}`);
    expect([deleted.statusCode, deleted.body]).toEqual([204, '']);
    const gone = await call('GET', `/webhooks/${subscription.id}`);
    expect([gone.statusCode, gone.json().code]).toEqual([404, 'NOT_FOUND']);
  });

  it('refuses unknown events with 400 VALIDATION_FAILED naming them', async () => {
    const response = await call('POST', '/webhooks', {
      url: 'https://hooks.example.com/rest',
      events: ['token.created', 'token.teleported'],
    });
    expect([response.statusCode, response.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(response.json().details).toEqual([
      { path: 'events.1', message: 'Unknown event "token.teleported"' },
    ]);
  });

  it.each([
    ['GET', '/webhooks', 'webhooks:read'],
    ['GET', '/webhooks/events', 'webhooks:read'],
    ['GET', '/webhooks/whk_0000000000000000000000', 'webhooks:read'],
    ['GET', '/webhooks/whk_0000000000000000000000/deliveries', 'webhooks:read'],
    ['POST', '/webhooks', 'webhooks:write'],
    ['PATCH', '/webhooks/whk_0000000000000000000000', 'webhooks:write'],
    ['DELETE', '/webhooks/whk_0000000000000000000000', 'webhooks:write'],
  ] as const)('%s %s needs %s', async (method, url, scope) => {
    const without = (
      await h.issueToken({
        organizationId: org.id,
        type: 'service',
        scopes: SCOPE_NAMES.filter((name) => !name.startsWith('webhooks:')),
      })
    ).token;
    const body = method === 'POST' || method === 'PATCH' ? { active: true } : undefined;
    const refused = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: {
        authorization: `Bearer ${without}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'INSUFFICIENT_SCOPE']);
    const holding = (await h.issueToken({ organizationId: org.id, type: 'service', scopes: [scope] })).token;
    const allowed = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: {
        authorization: `Bearer ${holding}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { payload: JSON.stringify(body) } : {}),
    });
    expect([200, 400, 404]).toContain(allowed.statusCode);
  });
});
