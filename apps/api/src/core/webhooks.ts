import {
  deleteWebhookSubscriptionById,
  type Executor,
  findWebhookSubscriptionById,
  findWebhookSubscriptionByIdForUpdate,
  insertWebhookSubscription,
  listWebhookAttemptsOfDeliveries,
  listWebhookDeliveryPage,
  listWebhookEventPage,
  listWebhookSubscriptionPage,
  updateWebhookSubscriptionById,
  type WebhookDeliveryAttemptRow,
  type WebhookDeliveryListRow,
  type WebhookEventRow,
  type WebhookSubscriptionRow,
} from '@tollgate/db';
import type {
  TCreateWebhookRequest,
  TCreateWebhookResponse,
  TListWebhookDeliveriesRequest,
  TListWebhookEventsRequest,
  TListWebhookEventsResponse,
  TListWebhooksRequest,
  TRotateWebhookSecretRequest,
  TRotateWebhookSecretResponse,
  TUpdateWebhookRequest,
  TWebhookDelivery,
  TWebhookEvent,
  TWebhookSubscription,
} from '@tollgate/domain';
import {
  CURSOR_ID,
  CURSOR_MICROS,
  decodeCursor,
  encodeCursor,
  isWebhookEventType,
  newId,
  TollgateError,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_EVENTS,
} from '@tollgate/domain';
import { recordAudit } from '../audit/record.ts';
import type { Services } from '../services.ts';
import { hasPrivateHost, PRIVATE_DESTINATION_MESSAGE } from '../webhooks/destination.ts';
import { newSigningSecret } from '../webhooks/secrets.ts';
import { auditActorOf, type CallOptions, type OrganizationActor } from './actor.ts';
import { diffFields } from './field-diff.ts';
import { organizationOf, type Page, toPage } from './product-common.ts';

/** The subscription as callers see it: never the secret, only the start of it. */
export function toWebhookObject(row: WebhookSubscriptionRow): TWebhookSubscription {
  return {
    id: row.id,
    url: row.url,
    // Validated on the way in; filtering keeps an event renamed later from breaking the schema.
    events: row.events.filter(isWebhookEventType),
    active: row.active,
    secretPrefix: row.secretPrefix,
    previousSecretExpiresAt: row.previousSecretExpiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toEventObject(row: WebhookEventRow): TWebhookEvent {
  return {
    id: row.id,
    type: row.type,
    createdAt: row.createdAt.toISOString(),
    data: row.payload,
  };
}

function webhookNotFound(): TollgateError {
  return new TollgateError('NOT_FOUND', 'No webhook subscription with that id was found.');
}

function position(cursor: string | undefined) {
  if (cursor === undefined) return undefined;
  const [createdAtMicros, id] = decodeCursor(cursor, [CURSOR_MICROS, CURSOR_ID]) as [string, string];
  return { createdAtMicros, id };
}

/** A page of the organisation's subscriptions, newest first. */
export async function listWebhooks(
  services: Services,
  actor: OrganizationActor,
  input: TListWebhooksRequest,
): Promise<Page<TWebhookSubscription>> {
  const organizationId = organizationOf(actor);
  const beforeId = input.cursor === undefined ? undefined : decodeCursor(input.cursor, [CURSOR_ID])[0];
  const rows = await listWebhookSubscriptionPage(services.db, {
    organizationId,
    limit: input.limit + 1,
    beforeId,
  });
  return toPage(rows, input.limit, toWebhookObject, (row) => encodeCursor([row.id]));
}

/** One subscription of the actor's organisation; NOT_FOUND for any other. */
export async function getWebhook(
  services: Services,
  actor: OrganizationActor,
  input: { id: string },
): Promise<TWebhookSubscription> {
  const row = await findWebhookSubscriptionById(services.db, organizationOf(actor), input.id);
  if (!row) throw webhookNotFound();
  return toWebhookObject(row);
}

/**
 * Refuses, as a validation error of `url`, a URL whose host is known not to be public while the server
 * delivers to public addresses only. Names are resolved, and judged again, at every delivery.
 */
function assertDeliverableUrl(services: Services, url: string): void {
  if (services.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS || !hasPrivateHost(new URL(url))) return;
  throw new TollgateError('VALIDATION_FAILED', undefined, [
    { path: 'url', message: PRIVATE_DESTINATION_MESSAGE },
  ]);
}

/**
 * Creates a subscription with a new signing secret, stored only encrypted, and its `webhook.created` audit
 * entry in one transaction. The response is the only place the plain secret ever appears.
 */
export async function createWebhook(
  services: Services,
  actor: OrganizationActor,
  input: TCreateWebhookRequest,
  options: CallOptions = {},
): Promise<TCreateWebhookResponse> {
  assertDeliverableUrl(services, input.url);
  const organizationId = organizationOf(actor);
  const now = services.clock.now();
  const id = newId('webhook', now);
  const { secret, prefix } = newSigningSecret();
  const secretCiphertext = await services.webhookSecrets.encrypt(secret, id);
  const row = await services.db.transaction().execute(async (tx: Executor) => {
    const inserted = await insertWebhookSubscription(tx, {
      id,
      organizationId,
      url: input.url,
      events: input.events,
      active: input.active,
      secretCiphertext,
      secretPrefix: prefix,
      createdAt: now,
      updatedAt: now,
    });
    await recordAudit(tx, {
      organizationId,
      actor: auditActorOf(actor),
      action: 'webhook.created',
      target: { type: 'webhook', id },
      request: options.request ?? null,
      detail: { url: inserted.url, events: inserted.events, active: inserted.active, secretPrefix: prefix },
    });
    return inserted;
  });
  return { ...toWebhookObject(row), secret };
}

/**
 * Changes URL, events or the active flag, with the `webhook.updated` audit entry, in one transaction with the
 * subscription locked. Changing nothing writes nothing.
 */
export async function updateWebhook(
  services: Services,
  actor: OrganizationActor,
  input: TUpdateWebhookRequest,
  options: CallOptions = {},
): Promise<TWebhookSubscription> {
  if (input.url !== undefined) assertDeliverableUrl(services, input.url);
  const organizationId = organizationOf(actor);
  const now = services.clock.now();
  const row = await services.db.transaction().execute(async (tx: Executor) => {
    const current = await findWebhookSubscriptionByIdForUpdate(tx, organizationId, input.id);
    if (!current) throw webhookNotFound();
    const { changes, detail } = diffFields(current, {
      url: input.url,
      events: input.events,
      active: input.active,
    });
    if (detail === null) return current;
    const updated = await updateWebhookSubscriptionById(tx, organizationId, current.id, {
      ...changes,
      updatedAt: now,
    });
    if (!updated) throw webhookNotFound();
    await recordAudit(tx, {
      organizationId,
      actor: auditActorOf(actor),
      action: 'webhook.updated',
      target: { type: 'webhook', id: current.id },
      request: options.request ?? null,
      detail: { ...detail },
    });
    return updated;
  });
  return toWebhookObject(row);
}

/** How long deliveries are also signed with the previous secret after a roll (§8). */
export const WEBHOOK_SECRET_ROLL_OVERLAP_MS = 24 * 60 * 60 * 1000;

/**
 * Rolls the signing secret: a new secret becomes current and the old one keeps signing for 24 hours beside
 * it, so receivers can switch without missing a delivery. Rolling again within those hours retires the
 * oldest at once (two secrets at most). With its `webhook.secret_rotated` audit entry, in one transaction.
 */
export async function rotateWebhookSecret(
  services: Services,
  actor: OrganizationActor,
  input: TRotateWebhookSecretRequest,
  options: CallOptions = {},
): Promise<TRotateWebhookSecretResponse> {
  const organizationId = organizationOf(actor);
  const now = services.clock.now();
  const { secret, prefix } = newSigningSecret();
  const secretCiphertext = await services.webhookSecrets.encrypt(secret, input.id);
  const previousSecretExpiresAt = new Date(now.getTime() + WEBHOOK_SECRET_ROLL_OVERLAP_MS);
  const row = await services.db.transaction().execute(async (tx: Executor) => {
    const current = await findWebhookSubscriptionByIdForUpdate(tx, organizationId, input.id);
    if (!current) throw webhookNotFound();
    const updated = await updateWebhookSubscriptionById(tx, organizationId, current.id, {
      secretCiphertext,
      secretPrefix: prefix,
      previousSecretCiphertext: current.secretCiphertext,
      previousSecretExpiresAt,
      updatedAt: now,
    });
    if (!updated) throw webhookNotFound();
    await recordAudit(tx, {
      organizationId,
      actor: auditActorOf(actor),
      action: 'webhook.secret_rotated',
      target: { type: 'webhook', id: current.id },
      request: options.request ?? null,
      detail: {
        secretPrefix: prefix,
        previousSecretPrefix: current.secretPrefix,
        previousSecretExpiresAt: previousSecretExpiresAt.toISOString(),
      },
    });
    return updated;
  });
  return { ...toWebhookObject(row), secret };
}

/** Deletes a subscription (its deliveries and attempts go with it) with the `webhook.deleted` audit entry. */
export async function deleteWebhook(
  services: Services,
  actor: OrganizationActor,
  input: { id: string },
  options: CallOptions = {},
): Promise<void> {
  const organizationId = organizationOf(actor);
  await services.db.transaction().execute(async (tx: Executor) => {
    const deleted = await deleteWebhookSubscriptionById(tx, organizationId, input.id);
    if (!deleted) throw webhookNotFound();
    await recordAudit(tx, {
      organizationId,
      actor: auditActorOf(actor),
      action: 'webhook.deleted',
      target: { type: 'webhook', id: deleted.id },
      request: options.request ?? null,
      detail: { url: deleted.url, events: deleted.events, secretPrefix: deleted.secretPrefix },
    });
  });
}

const CATALOGUE = WEBHOOK_EVENT_TYPES.map((type) => ({ type, description: WEBHOOK_EVENTS[type] }));

/** The event catalogue, and a page of the organisation's events from the outbox, newest first. */
export async function listWebhookEvents(
  services: Services,
  actor: OrganizationActor,
  input: TListWebhookEventsRequest,
): Promise<TListWebhookEventsResponse> {
  const organizationId = organizationOf(actor);
  const rows = await listWebhookEventPage(services.db, {
    organizationId,
    type: input.type,
    limit: input.limit + 1,
    after: position(input.cursor),
  });
  return {
    catalogue: CATALOGUE,
    ...toPage(rows, input.limit, toEventObject, (row) => encodeCursor([row.createdAtMicros, row.id])),
  };
}

function toAttemptObject(row: WebhookDeliveryAttemptRow) {
  return {
    id: row.id,
    attemptedAt: row.attemptedAt.toISOString(),
    statusCode: row.statusCode,
    durationMs: row.durationMs,
    error: row.error,
  };
}

/** A page of a subscription's deliveries, newest first, each with its attempts (newest first). */
export async function listWebhookDeliveries(
  services: Services,
  actor: OrganizationActor,
  input: TListWebhookDeliveriesRequest,
): Promise<Page<TWebhookDelivery>> {
  const organizationId = organizationOf(actor);
  const subscription = await findWebhookSubscriptionById(services.db, organizationId, input.id);
  if (!subscription) throw webhookNotFound();
  const rows = await listWebhookDeliveryPage(services.db, {
    subscriptionId: subscription.id,
    limit: input.limit + 1,
    after: position(input.cursor),
  });
  const shown = rows.slice(0, input.limit);
  const attempts = await listWebhookAttemptsOfDeliveries(
    services.db,
    shown.map((row) => row.id),
  );
  const attemptsOf = new Map<string, ReturnType<typeof toAttemptObject>[]>();
  for (const attempt of attempts) {
    const list = attemptsOf.get(attempt.deliveryId) ?? [];
    list.push(toAttemptObject(attempt));
    attemptsOf.set(attempt.deliveryId, list);
  }
  const toDelivery = (row: WebhookDeliveryListRow): TWebhookDelivery => ({
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    attemptCount: row.attemptCount,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    lastStatusCode: row.lastStatusCode,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    attempts: attemptsOf.get(row.id) ?? [],
  });
  return toPage(rows, input.limit, toDelivery, (row) => encodeCursor([row.createdAtMicros, row.id]));
}
