import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createDatabase, type Database, type DatabaseHandle } from '@tollgate/db';
import type { TestDatabase } from '@tollgate/db/testing';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { callerAs } from '../src/routers/tokens/test-helpers.ts';
import { PRIVATE_DESTINATION_MESSAGE } from '../src/webhooks/destination.ts';
import { enqueueWebhookEvent } from '../src/webhooks/outbox.ts';
import { WebhookSecretBox } from '../src/webhooks/secrets.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../src/webhooks/test-receiver.ts';
import { WebhookWorker, type WebhookWorkerOptions } from '../src/webhooks/worker.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';

let h: TestHarness;
let org: SeededOrganization;
let owner: Awaited<ReturnType<typeof callerAs>>;
let receiver: WebhookReceiver;

beforeAll(async () => {
  // The receiver listens on 127.0.0.1: this server is set to deliver inside its own network.
  h = await createTestHarness({ env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
  org = await h.seedOrganization({ tier: 'enterprise' });
  owner = await callerAs(h, org, 'owner');
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  // Each test starts with no subscription (and so no delivery) left by another.
  await h.services.db.deleteFrom('webhookSubscriptions').execute();
  receiver.received.length = 0;
});
afterAll(async () => {
  await receiver?.close();
  await h?.close();
});

/** A worker as a second API process would run it: its own secret box on the given database handle. */
function workerOn(db: Kysely<Database>, options: Partial<WebhookWorkerOptions> = {}): WebhookWorker {
  return new WebhookWorker({
    db,
    log: pino({ level: 'silent' }),
    clock: h.clock,
    secrets: new WebhookSecretBox({ db, sessionSecret: h.env.SESSION_SECRET }),
    random: () => 0,
    timeoutMs: 2_000,
    allowPrivateNetworks: true,
    ...options,
  });
}

/** What a receiver does with the README's recipe: HMAC-SHA256 of `${timestamp}.${body}`, compared in constant time. */
function signatureIsValid(secret: string, headers: Record<string, unknown>, body: string): boolean {
  const timestamp = String(headers['tollgate-webhook-timestamp']);
  const expected = Buffer.from(
    `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`,
  );
  const given = Buffer.from(String(headers['tollgate-webhook-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The README's "Verifying webhook signatures" snippet, run as written (its import line supplied). */
function readmeVerifier(): (secret: string, headers: unknown, rawBody: string) => boolean {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const code = /### Verifying webhook signatures[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!code) throw new Error('README has no signature verification snippet');
  const body = `${code.replace(/^import .*$/m, '')}\nreturn verifyTollgateWebhook;`;
  return new Function('createHmac', 'timingSafeEqual', body)(createHmac, timingSafeEqual);
}

async function subscribe(events: Parameters<typeof owner.webhooks.create>[0]['events'], url = receiver.url) {
  return owner.webhooks.create({ url, events });
}

describe('delivery', () => {
  it('POSTs the event as JSON, signed so that the receiver can verify it, and records the success', async () => {
    const subscription = await subscribe(['token.created']);
    const created = await owner.tokens.create({ name: 'deploy bot', scopes: ['reviews:read'] });
    const worker = workerOn(h.services.db);

    await expect(worker.runOnce()).resolves.toEqual({ claimed: 1, succeeded: 1, retrying: 0, failed: 0 });

    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    if (!delivery) throw new Error('nothing received');
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers['tollgate-webhook-timestamp']).toBe(
      String(Math.floor(h.clock.now().getTime() / 1000)),
    );
    expect(signatureIsValid(subscription.secret, delivery.headers, delivery.body)).toBe(true);
    expect(signatureIsValid(subscription.secret, delivery.headers, `${delivery.body} `)).toBe(false);
    expect(signatureIsValid('whsec_wrong', delivery.headers, delivery.body)).toBe(false);
    const verify = readmeVerifier();
    expect(verify(subscription.secret, delivery.headers, delivery.body)).toBe(true);
    expect(verify(subscription.secret, delivery.headers, delivery.body.replace('deploy', 'deplay'))).toBe(
      false,
    );
    const body = JSON.parse(delivery.body);
    expect(body).toMatchObject({
      id: delivery.headers['tollgate-webhook-id'],
      type: 'token.created',
      organizationId: org.id,
      data: { token: { id: created.id, name: 'deploy bot', prefix: created.prefix } },
    });
    // The token's secret is in the create response only, never in an event.
    expect(delivery.body).not.toContain(created.token);
    expect(body.data.token).not.toHaveProperty('token');

    const page = await owner.webhooks.deliveries({ id: subscription.id });
    expect(page.data).toEqual([
      expect.objectContaining({
        eventId: body.id,
        eventType: 'token.created',
        status: 'succeeded',
        attemptCount: 1,
        nextAttemptAt: null,
        lastStatusCode: 200,
        attempts: [expect.objectContaining({ statusCode: 200, error: null })],
      }),
    ]);
    // Nothing is sent twice.
    await expect(worker.runOnce()).resolves.toMatchObject({ claimed: 0 });
  });

  it('only to active subscriptions of the organisation that asked for the event type', async () => {
    await subscribe(['token.revoked']);
    const paused = await subscribe(['token.created']);
    await owner.webhooks.update({ id: paused.id, active: false });
    const other = await h.seedOrganization({ tier: 'enterprise' });
    const outsider = await callerAs(h, other, 'owner');
    await outsider.webhooks.create({ url: receiver.url, events: ['token.created'] });
    await owner.tokens.create({ name: 'nobody listens' });
    await expect(workerOn(h.services.db).runOnce()).resolves.toMatchObject({ claimed: 0 });
    expect(receiver.received).toHaveLength(0);
  });

  it('retries a failing receiver with exponential backoff: 500, 503, then 200 → three attempts', async () => {
    const subscription = await subscribe(['member.added']);
    const newcomer = await h.seedUser('member', null, 'newcomer');
    receiver.answer(500, 503);
    await owner.members.add({ email: newcomer.email, role: 'viewer' });
    const worker = workerOn(h.services.db, { backoffBaseMs: 10_000 });

    await expect(worker.runOnce()).resolves.toMatchObject({ claimed: 1, retrying: 1 });
    // Not due again before base × 2^0 = 10 s…
    await expect(worker.runOnce()).resolves.toMatchObject({ claimed: 0 });
    h.clock.advance(9_999);
    await expect(worker.runOnce()).resolves.toMatchObject({ claimed: 0 });
    h.clock.advance(1);
    await expect(worker.runOnce()).resolves.toMatchObject({ claimed: 1, retrying: 1 });
    // …and then not before base × 2^1 = 20 s.
    h.clock.advance(19_999);
    await expect(worker.runOnce()).resolves.toMatchObject({ claimed: 0 });
    h.clock.advance(1);
    await expect(worker.runOnce()).resolves.toMatchObject({ claimed: 1, succeeded: 1 });

    expect(receiver.received).toHaveLength(3);
    const eventIds = new Set(receiver.received.map((r) => r.headers['tollgate-webhook-id']));
    expect(eventIds.size).toBe(1);
    for (const r of receiver.received)
      expect(signatureIsValid(subscription.secret, r.headers, r.body)).toBe(true);
    const [delivery] = (await owner.webhooks.deliveries({ id: subscription.id })).data;
    expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 3, lastStatusCode: 200 });
    expect(delivery?.attempts.map((a) => [a.statusCode, a.error])).toEqual([
      [200, null],
      [503, 'The receiver answered with HTTP 503.'],
      [500, 'The receiver answered with HTTP 500.'],
    ]);
  });

  it('gives up after the last attempt, and records a receiver that does not answer in time', async () => {
    const subscription = await subscribe(['credits.purchased']);
    receiver.hold();
    await owner.billing.purchase({ amount: 5 });
    const worker = workerOn(h.services.db, { maxAttempts: 2, timeoutMs: 200, backoffBaseMs: 1_000 });
    await expect(worker.runOnce()).resolves.toMatchObject({ claimed: 1, retrying: 1 });
    receiver.release();
    receiver.answer(502);
    h.clock.advance(1_000);
    await expect(worker.runOnce()).resolves.toMatchObject({ claimed: 1, failed: 1 });
    h.clock.advance(3_600_000);
    await expect(worker.runOnce()).resolves.toMatchObject({ claimed: 0 });
    const [delivery] = (await owner.webhooks.deliveries({ id: subscription.id })).data;
    expect(delivery).toMatchObject({
      status: 'failed',
      attemptCount: 2,
      nextAttemptAt: null,
      lastStatusCode: 502,
    });
    expect(delivery?.attempts.map((a) => [a.statusCode, a.error])).toEqual([
      [502, 'The receiver answered with HTTP 502.'],
      [null, 'No answer within 200 ms.'],
    ]);
  });
});

describe('a server that delivers to public addresses only', () => {
  /** The attempts of the only delivery of a subscription, as its owner lists them. */
  async function attemptsOf(subscriptionId: string) {
    const [delivery] = (await owner.webhooks.deliveries({ id: subscriptionId })).data;
    return delivery?.attempts.map((attempt) => [attempt.statusCode, attempt.error]);
  }

  it('does not send to a private address a subscription was given while that was allowed', async () => {
    const subscription = await subscribe(['token.created']);
    await owner.tokens.create({ name: 'not sent' });
    await expect(workerOn(h.services.db, { allowPrivateNetworks: false }).runOnce()).resolves.toMatchObject({
      claimed: 1,
      retrying: 1,
    });
    expect(receiver.received).toHaveLength(0);
    expect(await attemptsOf(subscription.id)).toEqual([[null, PRIVATE_DESTINATION_MESSAGE]]);
  });

  it('refuses a name when it resolves to a private address, at connection time', async () => {
    const { port } = new URL(receiver.url);
    const subscription = await subscribe(['token.created'], `http://receiver.example:${port}/hooks`);
    await owner.tokens.create({ name: 'not sent either' });
    const resolved: string[] = [];
    const worker = workerOn(h.services.db, {
      allowPrivateNetworks: false,
      // Public for a check made beforehand, loopback for the connection: a rebinding name gains nothing,
      // because the addresses judged are the ones the socket is given.
      resolve: async (hostname) => {
        resolved.push(hostname);
        return [
          { address: '93.184.215.14', family: 4 },
          { address: '127.0.0.1', family: 4 },
        ];
      },
    });
    await expect(worker.runOnce()).resolves.toMatchObject({ claimed: 1, retrying: 1 });
    expect(resolved).toEqual(['receiver.example']);
    expect(receiver.received).toHaveLength(0);
    expect(await attemptsOf(subscription.id)).toEqual([[null, PRIVATE_DESTINATION_MESSAGE]]);
  });
});

describe('several workers on one database', () => {
  let second: DatabaseHandle | undefined;
  beforeAll(async () => {
    // On PostgreSQL a second connection pool, as a second API process has; PGlite has one connection.
    const url = (h.database as TestDatabase).url;
    if (url) second = await createDatabase({ databaseUrl: url, poolSize: 4 });
  });
  afterAll(async () => {
    await second?.close();
  });

  it('never deliver the same delivery twice', async () => {
    const slowReceiver = await startWebhookReceiver({ delayMs: 5 });
    try {
      await subscribe(['review.queued'], slowReceiver.url);
      const count = 30;
      for (let i = 0; i < count; i++) {
        await enqueueWebhookEvent(h.services.db, {
          organizationId: org.id,
          type: 'review.queued',
          payload: { n: i },
          at: h.clock.now(),
        });
      }
      const workers = [
        workerOn(h.services.db, { batchSize: 4 }),
        workerOn(second?.db ?? h.services.db, { batchSize: 4 }),
        workerOn(second?.db ?? h.services.db, { batchSize: 4 }),
      ];
      const claimedBy = [0, 0, 0];
      for (let round = 0; round < 50; round++) {
        const results = await Promise.all(workers.map((worker) => worker.runOnce()));
        results.forEach((result, index) => {
          claimedBy[index] = (claimedBy[index] ?? 0) + result.claimed;
        });
        if (results.every((result) => result.claimed === 0)) break;
      }
      const deliveryIds = slowReceiver.received.map((r) => r.headers['tollgate-webhook-delivery']);
      expect(deliveryIds).toHaveLength(count);
      expect(new Set(deliveryIds).size).toBe(count);
      expect(claimedBy.reduce((a, b) => a + b, 0)).toBe(count);
      // Every worker took part.
      for (const claimed of claimedBy) expect(claimed).toBeGreaterThan(0);
    } finally {
      await slowReceiver.close();
    }
  });

  it('do not take a delivery another worker is still sending', async () => {
    await subscribe(['review.completed']);
    await enqueueWebhookEvent(h.services.db, {
      organizationId: org.id,
      type: 'review.completed',
      payload: {},
      at: h.clock.now(),
    });
    receiver.hold();
    const first = workerOn(h.services.db);
    const sending = first.runOnce();
    await expect.poll(() => receiver.received.length).toBe(1);
    await expect(workerOn(second?.db ?? h.services.db).runOnce()).resolves.toMatchObject({ claimed: 0 });
    receiver.release();
    await expect(sending).resolves.toMatchObject({ claimed: 1, succeeded: 1 });
    expect(receiver.received).toHaveLength(1);
  });
});

describe('the outbox', () => {
  it('holds an event only when its change committed', async () => {
    const fresh = await h.seedOrganization({ tier: 'enterprise' });
    await (await callerAs(h, fresh, 'owner')).webhooks.create({
      url: receiver.url,
      events: ['credits.purchased'],
    });
    await expect(
      h.services.db.transaction().execute(async (tx) => {
        await enqueueWebhookEvent(tx, {
          organizationId: fresh.id,
          type: 'credits.purchased',
          payload: { amount: 1 },
          at: h.clock.now(),
        });
        throw new Error('the change fails after its event was written');
      }),
    ).rejects.toThrow('the change fails');
    const events = await h.services.db
      .selectFrom('webhookEvents')
      .select('id')
      .where('organizationId', '=', fresh.id)
      .execute();
    const deliveries = await h.services.db.selectFrom('webhookDeliveries').select('id').execute();
    expect([events, deliveries]).toEqual([[], []]);
    await expect(workerOn(h.services.db).runOnce()).resolves.toMatchObject({ claimed: 0 });
  });
});

describe('token.expiring', () => {
  const day = 86_400_000;

  /** Runs the job on three workers at once, as three API processes would, and returns how many were sent. */
  async function runJobs(): Promise<number> {
    const workers = [workerOn(h.services.db), workerOn(h.services.db), workerOn(h.services.db)];
    const counts = await Promise.all(workers.map((worker) => worker.runExpiringTokensJob()));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** [token id, daysLeft] of every token.expiring delivered so far (delivered concurrently: sorted). */
  async function noticesDelivered(): Promise<[string, number][]> {
    while ((await workerOn(h.services.db).runOnce()).claimed > 0) {}
    return receiver.received
      .map((r) => JSON.parse(r.body))
      .filter((event) => event.type === 'token.expiring')
      .map((event): [string, number] => [event.data.token.id, event.data.daysLeft])
      .sort(([a, x], [b, y]) => a.localeCompare(b) || y - x);
  }

  function expiringIn(days: number, extra: { revokedAt?: Date; organizationId?: string } = {}) {
    return h.issueToken({
      organizationId: extra.organizationId ?? org.id,
      type: 'service',
      scopes: ['organization:read'],
      expiresAt: new Date(h.clock.now().getTime() + days * day),
      ...extra,
    });
  }

  it('is sent once at each default mark (30, 7, 1 days), with daysLeft, even with several jobs at once', async () => {
    await subscribe(['token.expiring']);
    const far = await expiringIn(40);
    const month = await expiringIn(20);
    const week = await expiringIn(5);
    await expiringIn(2, { revokedAt: h.clock.now() });
    await expiringIn(-1);

    // A token past a mark when first seen is announced at the nearest one only (not at 30 and 7 both).
    await expect(runJobs()).resolves.toBe(2);
    await expect(runJobs()).resolves.toBe(0);
    h.clock.advance(10 * day); // far: 30 days left; month: 10; week: expired
    await expect(runJobs()).resolves.toBe(1);
    h.clock.advance(3 * day); // month: 7 days left
    await expect(runJobs()).resolves.toBe(1);
    await expect(runJobs()).resolves.toBe(0);
    h.clock.advance(6 * day + 3_600_000); // month: 23 hours left
    await expect(runJobs()).resolves.toBe(1);
    await expect(runJobs()).resolves.toBe(0);

    expect(await noticesDelivered()).toEqual(
      [
        [week.id, 5],
        [month.id, 20],
        [far.id, 30],
        [month.id, 7],
        [month.id, 1],
      ].sort(([a, x], [b, y]) => String(a).localeCompare(String(b)) || Number(y) - Number(x)),
    );
  });

  it("follows the organisation's expiryNoticeDays; an empty list sends none", async () => {
    // An organisation of its own; the tokens of the test above are revoked so they reach no more marks.
    await h.services.db
      .updateTable('tokens')
      .set({ revokedAt: h.clock.now(), revokedReason: 'manual' })
      .where('expiresAt', 'is not', null)
      .execute();
    const other = await h.seedOrganization({ tier: 'enterprise' });
    const otherOwner = await callerAs(h, other, 'owner');
    await otherOwner.webhooks.create({ url: receiver.url, events: ['token.expiring'] });
    const updated = await otherOwner.organization.update({ policy: { expiryNoticeDays: [2, 14] } });
    expect(updated.policy.expiryNoticeDays).toEqual([14, 2]);
    const token = await expiringIn(20, { organizationId: other.id });
    await expect(runJobs()).resolves.toBe(0);
    h.clock.advance(6 * day); // 14 days left
    await expect(runJobs()).resolves.toBe(1);
    h.clock.advance(7 * day); // 7 days left: not a mark of this organisation
    await expect(runJobs()).resolves.toBe(0);
    h.clock.advance(5 * day); // 2 days left
    await expect(runJobs()).resolves.toBe(1);
    expect(await noticesDelivered()).toEqual([
      [token.id, 14],
      [token.id, 2],
    ]);

    await otherOwner.organization.update({ policy: { expiryNoticeDays: [] } });
    await expiringIn(1, { organizationId: other.id });
    await expect(runJobs()).resolves.toBe(0);
  });
});

describe('Standard Webhooks', () => {
  beforeEach(() => {
    // The library checks the timestamp against the real clock: start from it.
    h.clock.set(new Date());
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Delivers the next event and returns what the receiver got. */
  async function deliverOne() {
    receiver.received.length = 0;
    await expect(workerOn(h.services.db).runOnce()).resolves.toMatchObject({ succeeded: 1 });
    const [delivery] = receiver.received;
    if (!delivery) throw new Error('nothing received');
    return delivery;
  }

  /** Whether the specification's own library accepts the delivery with this secret. */
  function libraryAccepts(
    secret: string,
    delivery: { headers: Record<string, unknown>; body: string },
  ): boolean {
    try {
      new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>);
      return true;
    } catch {
      return false;
    }
  }

  it('every delivery carries webhook-id, webhook-timestamp and a v1 signature the standardwebhooks library accepts', async () => {
    const subscription = await subscribe(['token.created']);
    expect(subscription.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    await owner.tokens.create({ name: 'standard' });
    const delivery = await deliverOne();
    const body = JSON.parse(delivery.body);
    expect(delivery.headers['webhook-id']).toBe(body.id);
    expect(delivery.headers['webhook-timestamp']).toBe(delivery.headers['tollgate-webhook-timestamp']);
    expect(delivery.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(
      new Webhook(subscription.secret).verify(delivery.body, delivery.headers as Record<string, string>),
    ).toEqual(body);
    expect(
      libraryAccepts(subscription.secret, {
        ...delivery,
        body: delivery.body.replace('standard', 'standarb'),
      }),
    ).toBe(false);
    const other = await subscribe(['member.added']);
    expect(libraryAccepts(other.secret, delivery)).toBe(false);
  });

  it('rotate-secret: both secrets sign for 24 hours, then only the new one; audited, the new secret shown once', async () => {
    const subscription = await subscribe(['token.created']);
    const rolled = await owner.webhooks.rotateSecret({ id: subscription.id });
    expect(rolled.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(rolled.secret).not.toBe(subscription.secret);
    expect(rolled.secretPrefix).toBe(rolled.secret.slice(0, 10));
    const overlapEnds = h.clock.now().getTime() + 24 * 3_600_000;
    expect(Date.parse(rolled.previousSecretExpiresAt ?? '')).toBe(overlapEnds);
    expect(await owner.webhooks.get({ id: subscription.id })).toEqual(
      Object.fromEntries(Object.entries(rolled).filter(([key]) => key !== 'secret')),
    );
    const readme = readmeVerifier();

    await owner.tokens.create({ name: 'during the roll' });
    const during = await deliverOne();
    for (const secret of [subscription.secret, rolled.secret]) {
      expect(libraryAccepts(secret, during), secret.slice(0, 10)).toBe(true);
      expect(readme(secret, during.headers, during.body)).toBe(true);
    }

    h.clock.advance(24 * 3_600_000 + 1_000);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(h.clock.now());
    await owner.tokens.create({ name: 'after the roll' });
    const after = await deliverOne();
    expect(libraryAccepts(rolled.secret, after)).toBe(true);
    expect(readme(rolled.secret, after.headers, after.body)).toBe(true);
    expect(libraryAccepts(subscription.secret, after)).toBe(false);
    expect(readme(subscription.secret, after.headers, after.body)).toBe(false);

    const audit = await owner.audit.list({ action: 'webhook.secret_rotated' });
    expect(audit.data).toEqual([
      expect.objectContaining({
        targetId: subscription.id,
        detail: {
          secretPrefix: rolled.secretPrefix,
          previousSecretPrefix: subscription.secretPrefix,
          previousSecretExpiresAt: new Date(overlapEnds).toISOString(),
        },
      }),
    ]);
    expect(JSON.stringify(audit.data)).not.toContain(rolled.secret);
    const gone = await subscribe(['token.created']);
    await owner.webhooks.delete({ id: gone.id });
    await expect(owner.webhooks.rotateSecret({ id: gone.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('signing secrets at rest', () => {
  it('without SESSION_SECRET, processes on one database agree on one generated key', async () => {
    const boxes = [new WebhookSecretBox({ db: h.services.db }), new WebhookSecretBox({ db: h.services.db })];
    const [a, b] = await Promise.all(
      boxes.map((box) => box.encrypt('whsec_same', 'whk_0000000000000000000001')),
    );
    expect(a).not.toBe(b);
    await expect(boxes[1]?.decrypt(a as string, 'whk_0000000000000000000001')).resolves.toBe('whsec_same');
    await expect(boxes[0]?.decrypt(b as string, 'whk_0000000000000000000001')).resolves.toBe('whsec_same');
  });

  it('with SESSION_SECRET, the key comes from it: another secret, or none, cannot decrypt', async () => {
    const sessionSecret = 'a'.repeat(40);
    const box = new WebhookSecretBox({ db: h.services.db, sessionSecret });
    const stored = await box.encrypt('whsec_plain', 'whk_0000000000000000000002');
    expect(stored).not.toContain('whsec_plain');
    await expect(
      new WebhookSecretBox({ db: h.services.db, sessionSecret }).decrypt(
        stored,
        'whk_0000000000000000000002',
      ),
    ).resolves.toBe('whsec_plain');
    await expect(
      new WebhookSecretBox({ db: h.services.db, sessionSecret: 'b'.repeat(40) }).decrypt(
        stored,
        'whk_0000000000000000000002',
      ),
    ).rejects.toThrow(/SESSION_SECRET/);
    await expect(
      new WebhookSecretBox({ db: h.services.db }).decrypt(stored, 'whk_0000000000000000000002'),
    ).rejects.toThrow(/SESSION_SECRET/);
  });
});
