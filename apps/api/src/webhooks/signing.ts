import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of every delivery (documented in the README, "Verifying webhook signatures"). */
export const WEBHOOK_HEADERS = {
  id: 'tollgate-webhook-id',
  timestamp: 'tollgate-webhook-timestamp',
  signature: 'tollgate-webhook-signature',
} as const;

/**
 * The signature header value of a delivery: `v1=` and the hex HMAC-SHA256, keyed with the subscription's
 * signing secret, of `${timestamp}.${body}` (timestamp in Unix seconds, body the exact bytes sent).
 */
export function signWebhookPayload(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does: recompute the signature and compare in constant time, and refuse timestamps more
 * than `toleranceSeconds` away from `nowSeconds` (replayed deliveries).
 */
export function verifyWebhookSignature(opts: {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowSeconds: number;
  toleranceSeconds?: number;
}): boolean {
  const timestamp = Number(opts.timestamp);
  if (!Number.isInteger(timestamp) || opts.signature === undefined) return false;
  if (Math.abs(opts.nowSeconds - timestamp) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhookPayload(opts.secret, timestamp, opts.body));
  // A header may carry several signatures (e.g. during a secret change), separated by spaces.
  return opts.signature.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
