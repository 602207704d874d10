import { z } from 'zod';
import { ZId } from '../id/ids.ts';
import { WEBHOOK_EVENT_TYPES, ZWebhookEvent } from '../webhook/events.ts';
import { ZNextCursor, ZPage, ZPageCursor, ZPageLimit } from './page.ts';

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

export const ZCreateWebhookRequestSchema = z.object({
  url: ZWebhookUrlSchema,
  events: ZWebhookEventListSchema,
  active: z.boolean().default(true),
});

export type TCreateWebhookRequest = z.infer<typeof ZCreateWebhookRequestSchema>;

export const ZCreateWebhookResponseSchema = ZWebhookSubscriptionSchema.extend({
  secret: z.string().describe('The signing secret (`whsec_…`): shown in this response only, store it now'),
});

export type TCreateWebhookResponse = z.infer<typeof ZCreateWebhookResponseSchema>;

export const ZRotateWebhookSecretRequestSchema = ZWebhookIdInputSchema;

export type TRotateWebhookSecretRequest = z.infer<typeof ZRotateWebhookSecretRequestSchema>;

export const ZRotateWebhookSecretResponseSchema = ZWebhookSubscriptionSchema.extend({
  secret: z
    .string()
    .describe('The new signing secret (`whsec_…`): shown in this response only, store it now'),
});

export type TRotateWebhookSecretResponse = z.infer<typeof ZRotateWebhookSecretResponseSchema>;

export const ZDeleteWebhookRequestSchema = ZWebhookIdInputSchema;

export const ZDeleteWebhookResponseSchema = z.void();

export const ZListWebhookDeliveriesRequestSchema = z.object({
  id: ZWebhookIdSchema,
  limit: ZPageLimit,
  cursor: ZPageCursor,
});

export type TListWebhookDeliveriesRequest = z.infer<typeof ZListWebhookDeliveriesRequestSchema>;

export const ZWebhookAttemptSchema = z.object({
  id: z.string(),
  attemptedAt: z.string(),
  statusCode: z.number().int().nullable().describe('The receiver’s HTTP status; null when none came'),
  durationMs: z.number().int(),
  error: z.string().nullable(),
});

export const ZWebhookDeliverySchema = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: ZWebhookEvent,
  status: z.enum(['pending', 'succeeded', 'failed']),
  attemptCount: z.number().int(),
  nextAttemptAt: z.string().nullable().describe('When a pending delivery is tried next; null otherwise'),
  lastStatusCode: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  attempts: z.array(ZWebhookAttemptSchema).describe('Newest first'),
});

export type TWebhookDelivery = z.infer<typeof ZWebhookDeliverySchema>;

export const ZListWebhookDeliveriesResponseSchema = ZPage(ZWebhookDeliverySchema);

export const ZListWebhookEventsRequestSchema = z
  .object({
    limit: ZPageLimit,
    cursor: ZPageCursor,
    type: ZWebhookEvent.optional().describe('Only events of this type'),
  })
  .default({ limit: 20 });

export type TListWebhookEventsRequest = z.infer<typeof ZListWebhookEventsRequestSchema>;

export const ZWebhookEventSchema = z.object({
  id: z.string(),
  type: ZWebhookEvent,
  createdAt: z.string(),
  data: z.record(z.string(), z.unknown()).describe('The payload, as deliveries carry it in `data`'),
});

export type TWebhookEvent = z.infer<typeof ZWebhookEventSchema>;

export const ZListWebhookEventsResponseSchema = z.object({
  catalogue: z
    .array(z.object({ type: ZWebhookEvent, description: z.string() }))
    .describe('Every event a subscription can ask for'),
  data: z.array(ZWebhookEventSchema).describe('The organisation’s recent events, newest first'),
  nextCursor: ZNextCursor,
});

export type TListWebhookEventsResponse = z.infer<typeof ZListWebhookEventsResponseSchema>;

export const ZGetWebhookRequestSchema = ZWebhookIdInputSchema;

export const ZGetWebhookResponseSchema = ZWebhookSubscriptionSchema;

export const ZListWebhooksRequestSchema = z
  .object({ limit: ZPageLimit, cursor: ZPageCursor })
  .default({ limit: 20 });

export type TListWebhooksRequest = z.infer<typeof ZListWebhooksRequestSchema>;

export const ZListWebhooksResponseSchema = ZPage(ZWebhookSubscriptionSchema);

export const ZUpdateWebhookRequestSchema = z.object({
  id: ZWebhookIdSchema,
  url: ZWebhookUrlSchema.optional(),
  events: ZWebhookEventListSchema.optional(),
  active: z.boolean().optional().describe('false pauses deliveries; pending ones are then given up'),
});

export type TUpdateWebhookRequest = z.infer<typeof ZUpdateWebhookRequestSchema>;

export const ZUpdateWebhookResponseSchema = ZWebhookSubscriptionSchema;
