import type { WebhookEventType } from '@tollgate/domain';
import { sql } from 'kysely';
import {
  jsonb,
  type NewWebhookDeliveryAttempt,
  type NewWebhookEvent,
  type NewWebhookSubscription,
  type WebhookDeliveryAttemptRow,
  type WebhookDeliveryRow,
  type WebhookEventRow,
  type WebhookSubscriptionRow,
  type WebhookSubscriptionUpdate,
} from '../tables/index.ts';
import type { Executor } from './executor.ts';

// ------------------------------------------------------------------------------------------ subscriptions

export async function insertWebhookSubscription(
  db: Executor,
  subscription: NewWebhookSubscription,
): Promise<WebhookSubscriptionRow> {
  return db.insertInto('webhookSubscriptions').values(subscription).returningAll().executeTakeFirstOrThrow();
}

export async function findWebhookSubscriptionById(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<WebhookSubscriptionRow | undefined> {
  return db
    .selectFrom('webhookSubscriptions')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The subscription, locked for the rest of the transaction, so that concurrent changes to it queue up. */
export async function findWebhookSubscriptionByIdForUpdate(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<WebhookSubscriptionRow | undefined> {
  return db
    .selectFrom('webhookSubscriptions')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * One page of an organisation's subscriptions, newest first by id (ids start with their creation time).
 * Fetches `limit` rows: ask for one more than you show.
 */
export async function listWebhookSubscriptionPage(
  db: Executor,
  query: { organizationId: string; limit: number; beforeId?: string | undefined },
): Promise<WebhookSubscriptionRow[]> {
  let builder = db
    .selectFrom('webhookSubscriptions')
    .selectAll()
    .where('organizationId', '=', query.organizationId);
  if (query.beforeId !== undefined) builder = builder.where('id', '<', query.beforeId);
  return builder.orderBy('id', 'desc').limit(query.limit).execute();
}

export async function updateWebhookSubscriptionById(
  db: Executor,
  organizationId: string,
  id: string,
  changes: WebhookSubscriptionUpdate,
): Promise<WebhookSubscriptionRow | undefined> {
  return db
    .updateTable('webhookSubscriptions')
    .set(changes)
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes the subscription and (by cascade) its deliveries and their attempts. */
export async function deleteWebhookSubscriptionById(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<WebhookSubscriptionRow | undefined> {
  return db
    .deleteFrom('webhookSubscriptions')
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Ids of the organisation's active subscriptions that asked for this event type. */
export async function findSubscriberIds(
  db: Executor,
  organizationId: string,
  type: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('webhookSubscriptions')
    .select('id')
    .where('organizationId', '=', organizationId)
    .where('active', '=', true)
    .where(sql<boolean>`${type} = any(events)`)
    .execute();
  return rows.map((row) => row.id);
}

// ------------------------------------------------------------------------------------------------- outbox

/**
 * Writes an event to the outbox with one pending delivery per subscription id given, due at `dueAt`. Call it
 * in the transaction of the change the event describes, so the event exists exactly when the change does.
 */
export async function insertWebhookEventWithDeliveries(
  db: Executor,
  event: NewWebhookEvent & { createdAt: Date },
  deliveries: readonly { id: string; subscriptionId: string }[],
): Promise<void> {
  await db
    .insertInto('webhookEvents')
    .values({ ...event, payload: jsonb(event.payload) })
    .execute();
  if (deliveries.length === 0) return;
  await db
    .insertInto('webhookDeliveries')
    .values(
      deliveries.map((delivery) => ({
        id: delivery.id,
        eventId: event.id,
        subscriptionId: delivery.subscriptionId,
        status: 'pending' as const,
        attemptCount: 0,
        nextAttemptAt: event.createdAt,
        createdAt: event.createdAt,
        updatedAt: event.createdAt,
      })),
    )
    .execute();
}

/** Where a page starts: just after the row with this creation time (µs since the epoch) and id. */
export interface WebhookListPosition {
  createdAtMicros: string;
  id: string;
}

const CREATED_AT_MICROS = sql<string>`((extract(epoch from created_at) * 1000000)::bigint)::text`;

function afterPosition(position: WebhookListPosition) {
  return sql<boolean>`(created_at, id) < (timestamptz 'epoch' + ${position.createdAtMicros}::bigint * interval '1 microsecond', ${position.id})`;
}

/** One page of the organisation's events, newest first, optionally of one type. */
export async function listWebhookEventPage(
  db: Executor,
  query: {
    organizationId: string;
    type?: WebhookEventType | undefined;
    limit: number;
    after?: WebhookListPosition | undefined;
  },
): Promise<(WebhookEventRow & { createdAtMicros: string })[]> {
  let builder = db
    .selectFrom('webhookEvents')
    .selectAll()
    .select(CREATED_AT_MICROS.as('createdAtMicros'))
    .where('organizationId', '=', query.organizationId);
  if (query.type !== undefined) builder = builder.where('type', '=', query.type);
  if (query.after !== undefined) builder = builder.where(afterPosition(query.after));
  return builder.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
}

export interface WebhookDeliveryListRow extends WebhookDeliveryRow {
  eventType: WebhookEventType;
  createdAtMicros: string;
}

/** One page of a subscription's deliveries, newest first, with the type of each one's event. */
export async function listWebhookDeliveryPage(
  db: Executor,
  query: { subscriptionId: string; limit: number; after?: WebhookListPosition | undefined },
): Promise<WebhookDeliveryListRow[]> {
  let builder = db
    .selectFrom('webhookDeliveries as d')
    .innerJoin('webhookEvents as e', 'e.id', 'd.eventId')
    .selectAll('d')
    .select([
      'e.type as eventType',
      sql<string>`((extract(epoch from d.created_at) * 1000000)::bigint)::text`.as('createdAtMicros'),
    ])
    .where('d.subscriptionId', '=', query.subscriptionId);
  if (query.after !== undefined) {
    const { createdAtMicros, id } = query.after;
    builder = builder.where(
      sql<boolean>`(d.created_at, d.id) < (timestamptz 'epoch' + ${createdAtMicros}::bigint * interval '1 microsecond', ${id})`,
    );
  }
  return builder.orderBy('d.createdAt', 'desc').orderBy('d.id', 'desc').limit(query.limit).execute();
}

/** The attempts of these deliveries, newest first. */
export async function listWebhookAttemptsOfDeliveries(
  db: Executor,
  deliveryIds: readonly string[],
): Promise<WebhookDeliveryAttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db
    .selectFrom('webhookDeliveryAttempts')
    .selectAll()
    .where('deliveryId', 'in', deliveryIds)
    .orderBy('attemptedAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

// ------------------------------------------------------------------------------------------------- worker

/** A delivery claimed by a worker, with what it needs to send it. */
export interface ClaimedWebhookDelivery {
  id: string;
  attemptCount: number;
  eventId: string;
  eventType: WebhookEventType;
  eventCreatedAt: Date;
  organizationId: string;
  payload: WebhookEventRow['payload'];
  subscriptionId: string;
  url: string;
  secretCiphertext: string;
  /** The previous secret after a roll, and until when it also signs. */
  previousSecretCiphertext: string | null;
  previousSecretExpiresAt: Date | null;
  subscriptionActive: boolean;
}

/**
 * Claims up to `limit` pending deliveries due at `now`: locks them with FOR UPDATE SKIP LOCKED (so concurrent
 * workers take different rows) and pushes their next_attempt_at to `leaseUntil`, so that after this
 * transaction commits no other worker sees them as due until the lease runs out. Run it in a transaction.
 */
export async function claimDueWebhookDeliveries(
  tx: Executor,
  query: { now: Date; leaseUntil: Date; limit: number },
): Promise<ClaimedWebhookDelivery[]> {
  const due = await tx
    .selectFrom('webhookDeliveries')
    .select('id')
    .where('status', '=', 'pending')
    .where('nextAttemptAt', '<=', query.now)
    .orderBy('nextAttemptAt')
    .limit(query.limit)
    .forUpdate()
    .skipLocked()
    .execute();
  if (due.length === 0) return [];
  const ids = due.map((row) => row.id);
  await tx
    .updateTable('webhookDeliveries')
    .set({ nextAttemptAt: query.leaseUntil })
    .where('id', 'in', ids)
    .execute();
  return tx
    .selectFrom('webhookDeliveries as d')
    .innerJoin('webhookEvents as e', 'e.id', 'd.eventId')
    .innerJoin('webhookSubscriptions as s', 's.id', 'd.subscriptionId')
    .select([
      'd.id',
      'd.attemptCount',
      'e.id as eventId',
      'e.type as eventType',
      'e.createdAt as eventCreatedAt',
      'e.organizationId',
      'e.payload',
      's.id as subscriptionId',
      's.url',
      's.secretCiphertext',
      's.previousSecretCiphertext',
      's.previousSecretExpiresAt',
      's.active as subscriptionActive',
    ])
    .where('d.id', 'in', ids)
    .execute();
}

/**
 * Records the outcome of an attempt on a claimed delivery: the attempt row (if one was made) and the
 * delivery's new state. Applies only while the claim still holds (the delivery is pending with the lease
 * this worker set); returns false when it did not, e.g. after the lease ran out and another worker took it.
 */
export async function completeWebhookAttempt(
  db: Executor,
  outcome: {
    deliveryId: string;
    leaseUntil: Date;
    attempt: NewWebhookDeliveryAttempt | null;
    status: 'pending' | 'succeeded' | 'failed';
    attemptCount: number;
    nextAttemptAt: Date;
    lastStatusCode: number | null;
    now: Date;
  },
): Promise<boolean> {
  const updated = await db
    .updateTable('webhookDeliveries')
    .set({
      status: outcome.status,
      attemptCount: outcome.attemptCount,
      nextAttemptAt: outcome.nextAttemptAt,
      lastStatusCode: outcome.lastStatusCode,
      updatedAt: outcome.now,
    })
    .where('id', '=', outcome.deliveryId)
    .where('status', '=', 'pending')
    .where('nextAttemptAt', '=', outcome.leaseUntil)
    .returning('id')
    .executeTakeFirst();
  if (!updated) return false;
  if (outcome.attempt) await db.insertInto('webhookDeliveryAttempts').values(outcome.attempt).execute();
  return true;
}

/** The outbox's depth (pending deliveries) and when its oldest pending delivery was created, for metrics. */
export async function webhookOutboxStats(
  db: Executor,
): Promise<{ depth: number; oldestCreatedAt: Date | null }> {
  const row = await db
    .selectFrom('webhookDeliveries')
    .where('status', '=', 'pending')
    .select((eb) => [eb.fn.countAll<string | number>().as('depth'), eb.fn.min('createdAt').as('oldest')])
    .executeTakeFirst();
  return {
    depth: Number(row?.depth ?? 0),
    oldestCreatedAt: row?.oldest ? new Date(row.oldest as Date | string) : null,
  };
}
