import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestHarness,
  type SeededOrganization,
  type TestHarness,
} from '../../../test/helpers/harness.ts';
import { PRIVATE_DESTINATION_MESSAGE } from '../../webhooks/destination.ts';
import { enqueueWebhookEvent } from '../../webhooks/outbox.ts';
import { callerAs, codeOf, failureOf } from '../tokens/test-helpers.ts';

let harness: TestHarness;
let org: SeededOrganization;
let other: SeededOrganization;
let admin: Awaited<ReturnType<typeof callerAs>>;
let member: Awaited<ReturnType<typeof callerAs>>;
let viewer: Awaited<ReturnType<typeof callerAs>>;
let outsider: Awaited<ReturnType<typeof callerAs>>;

beforeAll(async () => {
  harness = await createTestHarness();
  org = await harness.seedOrganization({ tier: 'enterprise' });
  other = await harness.seedOrganization({ tier: 'enterprise' });
  admin = await callerAs(harness, org, 'admin');
  member = await callerAs(harness, org, 'member');
  viewer = await callerAs(harness, org, 'viewer');
  outsider = await callerAs(harness, other, 'owner');
});
afterAll(async () => {
  await harness?.close();
});

/** Every text column of every row of the table, as one string, to search for something that must not be there. */
async function dumpOf(table: string): Promise<string> {
  const result = await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t`.execute(
    harness.services.db,
  );
  return result.rows.map((r) => r.row).join('\n');
}

describe('webhooks.create', () => {
  it('returns the signing secret once; list and get never show it, and it is stored only encrypted', async () => {
    const created = await admin.webhooks.create({
      url: 'https://hooks.example.com/tollgate',
      events: ['token.revoked', 'token.created'],
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^whk_/),
      url: 'https://hooks.example.com/tollgate',
      // Catalogue order, whatever order they were given in.
      events: ['token.created', 'token.revoked'],
      active: true,
      secret: expect.stringMatching(/^whsec_[0-9A-Za-z]{32}$/),
      secretPrefix: created.secret.slice(0, 10),
      createdAt: harness.clock.now().toISOString(),
      updatedAt: harness.clock.now().toISOString(),
    });
    const { secret, ...shown } = created;
    await expect(viewer.webhooks.get({ id: created.id })).resolves.toEqual(shown);
    const listed = await viewer.webhooks.list();
    expect(listed.data).toContainEqual(shown);
    expect(JSON.stringify(listed)).not.toContain(secret);

    for (const table of ['webhook_subscriptions', 'audit_logs', 'webhook_events']) {
      expect(await dumpOf(table)).not.toContain(secret.slice(6));
    }
    const stored = await harness.services.db
      .selectFrom('webhookSubscriptions')
      .select('secretCiphertext')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    await expect(harness.services.webhookSecrets.decrypt(stored.secretCiphertext, created.id)).resolves.toBe(
      secret,
    );
    // Bound to its row: the same ciphertext under another subscription id does not decrypt.
    await expect(
      harness.services.webhookSecrets.decrypt(stored.secretCiphertext, 'whk_0000000000000000000000'),
    ).rejects.toThrow();

    const audit = await harness.services.db
      .selectFrom('auditLogs')
      .select(['action', 'detail'])
      .where('targetId', '=', created.id)
      .execute();
    expect(audit).toEqual([
      {
        action: 'webhook.created',
        detail: {
          url: created.url,
          events: created.events,
          active: true,
          secretPrefix: created.secretPrefix,
        },
      },
    ]);
  });

  it('gives every subscription its own secret', async () => {
    const input = { url: 'https://hooks.example.com/a', events: ['review.queued' as const] };
    const [a, b] = [await admin.webhooks.create(input), await admin.webhooks.create(input)];
    expect(a.secret).not.toBe(b.secret);
  });

  it('refuses unknown events with VALIDATION_FAILED naming each of them', async () => {
    const failure = await failureOf(
      admin.webhooks.create({
        url: 'https://hooks.example.com/x',
        // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
        events: ['token.created', 'token.exploded', 'invoice.paid'] as any,
      }),
    );
    expect(failure.code).toBe('VALIDATION_FAILED');
    expect(failure.details).toEqual([
      { path: 'events.1', message: 'Unknown event "token.exploded"' },
      { path: 'events.2', message: 'Unknown event "invoice.paid"' },
    ]);
  });

  it.each([
    ['an ftp URL', { url: 'ftp://hooks.example.com/x' }, 'url'],
    ['a relative URL', { url: '/hooks' }, 'url'],
    ['a URL with credentials', { url: 'https://user:pass@hooks.example.com/' }, 'url'],
    ['no events', { events: [] }, 'events'],
  ])('refuses %s with VALIDATION_FAILED naming the field', async (_label, patch, path) => {
    const failure = await failureOf(
      admin.webhooks.create({
        url: 'https://hooks.example.com/x',
        events: ['token.created'],
        ...patch,
        // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
      } as any),
    );
    expect(failure.code).toBe('VALIDATION_FAILED');
    expect(failure.details?.map((detail) => detail.path)).toContain(path);
  });

  it('accepts plain http', async () => {
    await expect(
      admin.webhooks.create({ url: 'http://hooks.example.com:8080/hook', events: ['member.added'] }),
    ).resolves.toMatchObject({ url: 'http://hooks.example.com:8080/hook' });
  });

  it.each([
    ['a member (no webhooks:write)', () => member],
    ['a viewer', () => viewer],
  ])('is refused to %s', async (_label, caller) => {
    expect(
      await codeOf(
        caller().webhooks.create({ url: 'https://hooks.example.com/', events: ['review.queued'] }),
      ),
    ).toBe('INSUFFICIENT_SCOPE');
  });
});

describe('webhooks.update and delete', () => {
  it('changes url, events and active, records before and after, and writes nothing when nothing changes', async () => {
    const created = await admin.webhooks.create({
      url: 'https://hooks.example.com/old',
      events: ['token.created'],
    });
    harness.clock.advance(1_000);
    const updated = await admin.webhooks.update({
      id: created.id,
      url: 'https://hooks.example.com/new',
      events: ['member.removed', 'member.added'],
      active: false,
    });
    expect(updated).toEqual({
      id: created.id,
      url: 'https://hooks.example.com/new',
      events: ['member.added', 'member.removed'],
      active: false,
      secretPrefix: created.secretPrefix,
      createdAt: created.createdAt,
      updatedAt: harness.clock.now().toISOString(),
    });
    await expect(admin.webhooks.update({ id: created.id, active: false })).resolves.toEqual(updated);
    const audit = await harness.services.db
      .selectFrom('auditLogs')
      .select(['action', 'detail'])
      .where('targetId', '=', created.id)
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
    expect(audit.map((entry) => entry.action)).toEqual(['webhook.created', 'webhook.updated']);
    expect(audit[1]?.detail).toMatchObject({
      fields: ['url', 'events', 'active'],
      before: { url: 'https://hooks.example.com/old', events: ['token.created'], active: true },
    });
  });

  it('deletes a subscription: gone from get and list, and deleting again is NOT_FOUND', async () => {
    const created = await admin.webhooks.create({
      url: 'https://hooks.example.com/d',
      events: ['credits.low'],
    });
    await expect(admin.webhooks.delete({ id: created.id })).resolves.toBeUndefined();
    expect(await codeOf(admin.webhooks.get({ id: created.id }))).toBe('NOT_FOUND');
    expect(await codeOf(admin.webhooks.delete({ id: created.id }))).toBe('NOT_FOUND');
    expect((await admin.webhooks.list({ limit: 100 })).data.map((w) => w.id)).not.toContain(created.id);
  });
});

describe('private networks (WEBHOOK_ALLOW_PRIVATE_NETWORKS unset: public addresses only)', () => {
  it.each([
    'http://127.0.0.1:8080/hooks',
    'http://0x7f.1/hooks',
    'http://2130706433/hooks',
    'http://localhost:3000/hooks',
    'http://api.localhost/hooks',
    'http://[::1]/hooks',
    'http://[::ffff:10.0.0.1]/hooks',
    'http://10.1.2.3/hooks',
    'http://172.16.0.1/hooks',
    'http://192.168.1.10/hooks',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.64.0.1/hooks',
    'http://0.0.0.0/hooks',
    'https://[fd00::1]/hooks',
    'https://[fe80::1]/hooks',
  ])('refuses %s as VALIDATION_FAILED on url, on create and on update', async (url) => {
    const created = await failureOf(admin.webhooks.create({ url, events: ['token.created'] }));
    expect(created).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'url', message: PRIVATE_DESTINATION_MESSAGE }],
    });
    const existing = await admin.webhooks.create({
      url: 'https://hooks.example.com/kept',
      events: ['token.created'],
    });
    expect(await codeOf(admin.webhooks.update({ id: existing.id, url }))).toBe('VALIDATION_FAILED');
    await expect(admin.webhooks.get({ id: existing.id })).resolves.toMatchObject({
      url: 'https://hooks.example.com/kept',
    });
  });

  it.each(['https://hooks.example.com/x', 'http://8.8.8.8/x', 'https://[2606:4700::1111]/x'])(
    'accepts %s: a name (judged again at every delivery) or a public address',
    async (url) => {
      expect(await codeOf(admin.webhooks.create({ url, events: ['token.created'] }))).toBe('OK');
    },
  );

  it('accepts them all when the server is set to deliver inside its own network', async () => {
    const open = await createTestHarness({ env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    try {
      const openOrg = await open.seedOrganization({ tier: 'enterprise' });
      const owner = await callerAs(open, openOrg, 'owner');
      await expect(
        owner.webhooks.create({ url: 'http://10.1.2.3/hooks', events: ['token.created'] }),
      ).resolves.toMatchObject({ url: 'http://10.1.2.3/hooks' });
    } finally {
      await open.close();
    }
  });
});

describe('another organisation’s subscription does not exist for the caller', () => {
  let theirs: string;
  beforeAll(async () => {
    theirs = (
      await outsider.webhooks.create({ url: 'https://other.example.com/', events: ['token.created'] })
    ).id;
  });

  it.each([
    ['get', () => admin.webhooks.get({ id: theirs })],
    ['update', () => admin.webhooks.update({ id: theirs, active: false })],
    ['delete', () => admin.webhooks.delete({ id: theirs })],
    ['deliveries', () => admin.webhooks.deliveries({ id: theirs })],
  ])('%s → NOT_FOUND', async (_label, call) => {
    expect(await codeOf(call())).toBe('NOT_FOUND');
  });

  it('and it stays as it was, out of the caller’s list', async () => {
    await expect(outsider.webhooks.get({ id: theirs })).resolves.toMatchObject({ active: true });
    expect((await admin.webhooks.list({ limit: 100 })).data.map((w) => w.id)).not.toContain(theirs);
  });
});

describe('webhooks.list and webhooks.events paginate', () => {
  it('pages through every subscription once, newest first', async () => {
    const fresh = await harness.seedOrganization({ tier: 'enterprise' });
    const owner = await callerAs(harness, fresh, 'owner');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      harness.clock.advance(10);
      ids.push(
        (await owner.webhooks.create({ url: `https://h.example.com/${i}`, events: ['token.created'] })).id,
      );
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await owner.webhooks.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.data.map((w) => w.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('lists the catalogue and the organisation’s own events, newest first, filtered by type', async () => {
    const fresh = await harness.seedOrganization({ tier: 'enterprise' });
    const owner = await callerAs(harness, fresh, 'owner');
    const at = harness.clock.now();
    for (let i = 0; i < 3; i++) {
      await enqueueWebhookEvent(harness.services.db, {
        organizationId: fresh.id,
        type: i === 1 ? 'credits.low' : 'review.queued',
        payload: { n: i },
        at: new Date(at.getTime() + i),
      });
    }
    const first = await owner.webhooks.events({ limit: 2 });
    expect(first.catalogue).toHaveLength(16);
    expect(first.catalogue[0]).toEqual({ type: 'token.created', description: expect.any(String) });
    expect(first.data.map((event) => event.data)).toEqual([{ n: 2 }, { n: 1 }]);
    const second = await owner.webhooks.events({ limit: 2, cursor: first.nextCursor ?? '' });
    expect(second).toMatchObject({ data: [{ type: 'review.queued', data: { n: 0 } }], nextCursor: null });
    const lows = await owner.webhooks.events({ type: 'credits.low' });
    expect(lows.data.map((event) => event.data)).toEqual([{ n: 1 }]);
    // Another organisation sees none of them.
    expect((await outsider.webhooks.events({ limit: 100 })).data.map((e) => e.id)).not.toContain(
      first.data[0]?.id,
    );
    expect(await codeOf(owner.webhooks.events({ cursor: 'bm90LWEtY3Vyc29y' }))).toBe('VALIDATION_FAILED');
  });
});
