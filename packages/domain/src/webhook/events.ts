import { z } from 'zod';

/**
 * The webhook event catalogue (§8): every event a subscription may ask for, with what it means. The API, the
 * OpenAPI document and `GET /webhooks/events` read it from here.
 */
export const WEBHOOK_EVENTS = {
  'token.created': 'A token was created (the payload never contains its secret)',
  'token.updated': 'A token’s name, description, environment or IP allowlist changed',
  'token.deactivated': 'A token was deactivated',
  'token.reactivated': 'A deactivated token was reactivated',
  'token.revoked': 'A token was revoked for good',
  'token.deleted': 'A token was deleted',
  'token.rotated': 'A token got a new secret',
  'token.expiring':
    'A token reached a mark of the policy’s expiryNoticeDays (default 30, 7 and 1 days before it expires; once per mark), with daysLeft',
  'token.exposed':
    'A token was reported as exposed (a public leak report or GitHub secret scanning) and revoked',
  'token.reuse_detected':
    'A rotated-away secret of a token was presented after its grace period (at most once per token and hour)',
  'member.added': 'A member joined the organisation',
  'member.removed': 'A member was removed from the organisation',
  'member.role_changed': 'A member’s role changed',
  'review.queued': 'A review was triggered and queued',
  'review.completed': 'A review completed',
  'credits.purchased': 'Credits were purchased',
  'credits.low': 'The credit balance fell below the low-credit threshold',
} as const satisfies Record<string, string>;

export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;

/** Every event type, in catalogue order. */
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as WebhookEventType[];

export const ZWebhookEvent = z.enum(WEBHOOK_EVENT_TYPES as [WebhookEventType, ...WebhookEventType[]], {
  error: (issue) =>
    typeof issue.input === 'string'
      ? `Unknown event "${issue.input}"`
      : 'Expected an event name from the catalogue',
});

/** Whether a string names an event of the catalogue. */
export function isWebhookEventType(value: string): value is WebhookEventType {
  return Object.hasOwn(WEBHOOK_EVENTS, value);
}

/** `credits.low` is sent when a debit takes the balance from at least this many credits to fewer. */
export const CREDITS_LOW_THRESHOLD = 10;

/**
 * Whether a balance change crosses the low-credit threshold downwards: once per crossing, so a balance that
 * stays low does not send the event again until a purchase has lifted it to the threshold or above.
 */
export function crossesCreditsLow(balanceBefore: number, balanceAfter: number): boolean {
  return balanceBefore >= CREDITS_LOW_THRESHOLD && balanceAfter < CREDITS_LOW_THRESHOLD;
}

/** Signing secrets look like `whsec_<32 base64 characters>` (Standard Webhooks); lists show the first few characters only. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
export const WEBHOOK_SECRET_LENGTH = 32;
export const WEBHOOK_SECRET_DISPLAY_LENGTH = WEBHOOK_SECRET_PREFIX.length + 4;
