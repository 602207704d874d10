import {
  type Executor,
  findSubscriberIds,
  insertWebhookEventWithDeliveries,
  type JsonObject,
} from '@tollgate/db';
import { newId, type WebhookEventType } from '@tollgate/domain';

export interface WebhookEventInput {
  organizationId: string;
  type: WebhookEventType;
  /** What the event says; never a secret (token objects without `token`, no signing secrets). */
  payload: JsonObject;
  /** When the change happened (services.clock); the deliveries are due from then. */
  at: Date;
}

/**
 * Writes an event to the transactional outbox with one pending delivery per active subscription of the
 * organisation that asked for its type. Call it with the transaction of the change it describes: the event
 * then exists exactly when the change committed, and the delivery worker picks it up afterwards.
 * Returns the event id.
 */
export async function enqueueWebhookEvent(tx: Executor, event: WebhookEventInput): Promise<string> {
  const id = newId('event', event.at);
  const subscriberIds = await findSubscriberIds(tx, event.organizationId, event.type);
  await insertWebhookEventWithDeliveries(
    tx,
    {
      id,
      organizationId: event.organizationId,
      type: event.type,
      payload: event.payload,
      createdAt: event.at,
    },
    subscriberIds.map((subscriptionId) => ({ id: newId('delivery', event.at), subscriptionId })),
  );
  return id;
}
