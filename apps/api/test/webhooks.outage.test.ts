import { createDatabase, type DatabaseHandle } from '@tollgate/db';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callerAs } from '../src/routers/tokens/test-helpers.ts';
import { WebhookSecretBox } from '../src/webhooks/secrets.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../src/webhooks/test-receiver.ts';
import { WebhookWorker } from '../src/webhooks/worker.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.ts';

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) {
  console.warn(
    'webhooks.outage.test.ts: needs DATABASE_URL (the embedded database runs inside the process and cannot go away); skipped',
  );
}

/**
 * The webhook worker of an API process whose PostgreSQL goes away (a proxy in front of it, cut by the test)
 * while other processes, still connected, keep writing events to the outbox.
 */
describe.skipIf(!DATABASE_URL)('the webhook worker through a PostgreSQL outage', () => {
  let h: TestHarness;
  let org: SeededOrganization;
  let receiver: WebhookReceiver;
  let proxy: TcpProxy;
  let database: DatabaseHandle;
  const lines: { level: number; msg: string }[] = [];

  beforeAll(async () => {
    h = await createTestHarness({ env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' } });
    org = await h.seedOrganization({ tier: 'enterprise' });
    receiver = await startWebhookReceiver();
    const url = new URL(h.databaseUrl ?? '');
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    database = await createDatabase({
      databaseUrl: proxy.urlFor(h.databaseUrl ?? ''),
      connectionTimeoutMillis: 500,
      statementTimeoutMillis: 1_000,
      onError: () => {},
    });
  });
  afterAll(async () => {
    await database?.close();
    await proxy?.close();
    await receiver?.close();
    await h?.close();
  });

  it('keeps running, logs the outage once, and delivers what was written meanwhile once the database is back', async () => {
    const owner = await callerAs(h, org, 'owner');
    await owner.webhooks.create({ url: receiver.url, events: ['token.created', 'token.expiring'] });
    const log = pino(
      { level: 'info' },
      { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) },
    );
    const worker = new WebhookWorker({
      db: database.db,
      log,
      clock: h.clock,
      secrets: new WebhookSecretBox({ db: database.db, sessionSecret: h.env.SESSION_SECRET }),
      allowPrivateNetworks: true,
      intervalMs: 100,
      random: () => 0,
    });

    await proxy.cut();
    // Written by another process during the outage: an event to deliver, and a token the expiry job must
    // announce. The harness's clock stands still, so the job runs again only because its run failed.
    const created = await owner.tokens.create({ name: 'written meanwhile', scopes: ['reviews:read'] });
    const expiring = await owner.tokens.create({
      name: 'expires soon',
      scopes: ['reviews:read'],
      expiresInDays: 1,
    });
    worker.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(receiver.received).toHaveLength(0);
      // About twenty ticks, each of which failed: one line for the outage, not one per tick.
      expect(lines.map((line) => line.msg)).toEqual([
        'webhook worker: database unavailable; retrying until it is back',
      ]);

      await proxy.restore();
      await vi.waitFor(
        () => {
          const events = receiver.received.map((delivery) => JSON.parse(delivery.body));
          expect(events).toEqual(
            expect.arrayContaining([
              expect.objectContaining({
                type: 'token.created',
                data: { token: expect.objectContaining({ id: created.id }) },
              }),
              expect.objectContaining({
                type: 'token.expiring',
                data: { token: expect.objectContaining({ id: expiring.id }), daysLeft: 1 },
              }),
            ]),
          );
        },
        { timeout: 5_000, interval: 100 },
      );
      // Logged when the round that delivered them is over.
      await vi.waitFor(() =>
        expect(lines.map((line) => line.msg)).toEqual([
          'webhook worker: database unavailable; retrying until it is back',
          'webhook worker: database available again; resumed',
        ]),
      );

      // A second outage, now that the expiry job is done (the clock stands still): the delivery rounds fail.
      await proxy.cut();
      const later = await owner.tokens.create({ name: 'second outage', scopes: ['reviews:read'] });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(lines).toHaveLength(3);
      await proxy.restore();
      await vi.waitFor(
        () => {
          const events = receiver.received.map((delivery) => JSON.parse(delivery.body));
          expect(events).toContainEqual(
            expect.objectContaining({ data: { token: expect.objectContaining({ id: later.id }) } }),
          );
          expect(lines.map((line) => line.msg)).toEqual([
            'webhook worker: database unavailable; retrying until it is back',
            'webhook worker: database available again; resumed',
            'webhook worker: database unavailable; retrying until it is back',
            'webhook worker: database available again; resumed',
          ]);
        },
        { timeout: 5_000, interval: 100 },
      );
    } finally {
      await worker.stop();
    }
  }, 30_000);
});
