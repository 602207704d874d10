import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import {
  WEBHOOKS_TAG,
  ZWebhookEventListSchema,
  ZWebhookIdSchema,
  ZWebhookSubscriptionSchema,
  ZWebhookUrlSchema,
} from './shared.types.ts';

export const ZUpdateWebhookRequestSchema = z.object({
  id: ZWebhookIdSchema,
  url: ZWebhookUrlSchema.optional(),
  events: ZWebhookEventListSchema.optional(),
  active: z.boolean().optional().describe('false pauses deliveries; pending ones are then given up'),
});
export type TUpdateWebhookRequest = z.infer<typeof ZUpdateWebhookRequestSchema>;

export const ZUpdateWebhookResponseSchema = ZWebhookSubscriptionSchema;

export const updateWebhookMeta = {
  scope: 'webhooks:write',
  rest: {
    method: 'PATCH',
    path: '/webhooks/{id}',
    summary: 'Change a webhook subscription’s URL, events or active flag',
    tags: [WEBHOOKS_TAG],
  },
} satisfies ProcedureMeta;
