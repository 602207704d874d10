import type { WebhookEventType } from '@tollgate/domain';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { JsonObject } from './json.ts';

/** Mirrors the CHECK constraint on webhook_deliveries.status. */
export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookSubscriptionsTable {
  id: string;
  organizationId: string;
  url: string;
  events: Generated<WebhookEventType[]>;
  active: Generated<boolean>;
  /** The signing secret encrypted by the application; never the plain secret. */
  secretCiphertext: string;
  secretPrefix: string;
  /** After a secret roll: the previous secret (encrypted the same way), also signing until the time below. */
  previousSecretCiphertext: string | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

/** The transactional outbox: written in the same transaction as the change it describes. */
export interface WebhookEventsTable {
  id: string;
  organizationId: string;
  type: WebhookEventType;
  payload: JsonObject;
  createdAt: Generated<Date>;
}

export interface WebhookDeliveriesTable {
  id: string;
  eventId: string;
  subscriptionId: string;
  status: Generated<WebhookDeliveryStatus>;
  attemptCount: Generated<number>;
  nextAttemptAt: Generated<Date>;
  lastStatusCode: number | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface WebhookDeliveryAttemptsTable {
  id: string;
  deliveryId: string;
  attemptedAt: Generated<Date>;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

export type WebhookSubscriptionRow = Selectable<WebhookSubscriptionsTable>;
export type NewWebhookSubscription = Insertable<WebhookSubscriptionsTable>;
export type WebhookSubscriptionUpdate = Updateable<WebhookSubscriptionsTable>;

export type WebhookEventRow = Selectable<WebhookEventsTable>;
export type NewWebhookEvent = Insertable<WebhookEventsTable>;

export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type NewWebhookDelivery = Insertable<WebhookDeliveriesTable>;
export type WebhookDeliveryUpdate = Updateable<WebhookDeliveriesTable>;

export type WebhookDeliveryAttemptRow = Selectable<WebhookDeliveryAttemptsTable>;
export type NewWebhookDeliveryAttempt = Insertable<WebhookDeliveryAttemptsTable>;
