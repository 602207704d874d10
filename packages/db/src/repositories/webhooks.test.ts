import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOrganization, randomId } from '../test-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import {
  insertWebhookEventWithDeliveries,
  insertWebhookSubscription,
  webhookOutboxStats,
} from './webhooks.ts';

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

test('webhookOutboxStats: pending deliveries and when the oldest was created; delivered ones leave the count', async () => {
  expect(await webhookOutboxStats(handle.db)).toEqual({ depth: 0, oldestCreatedAt: null });
  const organization = await createOrganization(handle.db);
  const subscription = await insertWebhookSubscription(handle.db, {
    id: randomId('whs'),
    organizationId: organization.id,
    url: 'https://example.test/hook',
    events: ['token.created'],
    secretCiphertext: 'ciphertext',
    secretPrefix: 'whsec_abc',
  });
  const event = (createdAt: Date) => ({
    id: randomId('evt'),
    organizationId: organization.id,
    type: 'token.created' as const,
    payload: {},
    createdAt,
  });
  const older = new Date('2026-01-02T03:04:05.000Z');
  const first = randomId('whd');
  await insertWebhookEventWithDeliveries(handle.db, event(older), [
    { id: first, subscriptionId: subscription.id },
  ]);
  await insertWebhookEventWithDeliveries(handle.db, event(new Date('2026-01-03T00:00:00.000Z')), [
    { id: randomId('whd'), subscriptionId: subscription.id },
  ]);
  expect(await webhookOutboxStats(handle.db)).toEqual({ depth: 2, oldestCreatedAt: older });

  await handle.db
    .updateTable('webhookDeliveries')
    .set({ status: 'succeeded' })
    .where('id', '=', first)
    .execute();
  expect(await webhookOutboxStats(handle.db)).toEqual({
    depth: 1,
    oldestCreatedAt: new Date('2026-01-03T00:00:00.000Z'),
  });
});
