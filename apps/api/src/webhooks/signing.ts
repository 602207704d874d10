import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Headers of every delivery (README, "Verifying webhook signatures"): Tollgate's own, and those of the
 * Standard Webhooks specification (standardwebhooks.com), which receivers verify with its libraries.
 */
export const WEBHOOK_HEADERS = {
  id: 'tollgate-webhook-id',
  timestamp: 'tollgate-webhook-timestamp',
  signature: 'tollgate-webhook-signature',
  standardId: 'webhook-id',
  standardTimestamp: 'webhook-timestamp',
  standardSignature: 'webhook-signature',
} as const;

/**
 * Tollgate's signature: `v1=` and the hex HMAC-SHA256, keyed with the whole signing secret string, of
 * `${timestamp}.${body}` (timestamp in Unix seconds, body the exact bytes sent).
 */
export function signWebhookPayload(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * The signature headers of one delivery, signed with every secret given (the current one, and the previous
 * one while a roll is in its 24 hours), space-separated as both schemes allow. The Standard Webhooks
 * signature (`v1,<base64>` over `${id}.${timestamp}.${body}`, keyed with the base64 part of the secret) is
 * computed by the specification's own library.
 */
export function signDelivery(
  secrets: readonly string[],
  delivery: { id: string; timestamp: number; body: string },
): Record<string, string> {
  const sentAt = new Date(delivery.timestamp * 1000);
  return {
    [WEBHOOK_HEADERS.timestamp]: String(delivery.timestamp),
    [WEBHOOK_HEADERS.signature]: secrets
      .map((secret) => signWebhookPayload(secret, delivery.timestamp, delivery.body))
      .join(' '),
    [WEBHOOK_HEADERS.standardId]: delivery.id,
    [WEBHOOK_HEADERS.standardTimestamp]: String(delivery.timestamp),
    [WEBHOOK_HEADERS.standardSignature]: secrets
      .map((secret) => new Webhook(secret).sign(delivery.id, sentAt, delivery.body))
      .join(' '),
  };
}
