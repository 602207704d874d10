import { WEBHOOK_EVENT_TYPES, ZId, ZWebhookEvent } from '@tollgate/domain';
import { z } from 'zod';

export const WEBHOOKS_TAG = 'Webhooks';

/**
 * Where deliveries go: an absolute http:// or https:// URL without credentials in it (they would be stored
 * and shown in plain text). Whether its host may be private is the server's setting, checked by
 * core/webhooks.ts and again at every delivery (webhooks/destination.ts).
 */
export const ZWebhookUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
      } catch {
        return false;
      }
    },
    { error: 'Expected an absolute http:// or https:// URL' },
  )
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.username === '' && url.password === '';
      } catch {
        return true;
      }
    },
    { error: 'A webhook URL may not contain a user name or password' },
  )
  .describe(
    'http:// or https:// URL that receives the deliveries; a public address unless the server allows private networks',
  );

export const ZWebhookEventListSchema = z
  .array(ZWebhookEvent)
  .min(1, { error: 'Subscribe to at least one event' })
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((events) => WEBHOOK_EVENT_TYPES.filter((type) => events.includes(type)))
  .describe('Event types from the catalogue (GET /webhooks/events)');

export const ZWebhookIdSchema = ZId('webhook');
export const ZWebhookIdInputSchema = z.object({ id: ZWebhookIdSchema });

export const ZWebhookSubscriptionSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(ZWebhookEvent),
  active: z.boolean(),
  secretPrefix: z.string().describe('The start of the signing secret, for recognising it'),
  previousSecretExpiresAt: z
    .string()
    .nullable()
    .describe(
      'After a secret roll: until when deliveries are also signed with the previous secret (null if never rolled)',
    ),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TWebhookSubscription = z.infer<typeof ZWebhookSubscriptionSchema>;

export const ZListLimitSchema = z.coerce.number().int().min(1).max(100).default(20);
export const ZListCursorSchema = z.string().min(1).max(500).optional();
export const ZNextCursorSchema = z
  .string()
  .nullable()
  .describe('Pass as `cursor` for the next page; null on the last page');
