import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import {
  WEBHOOKS_TAG,
  ZWebhookEventListSchema,
  ZWebhookSubscriptionSchema,
  ZWebhookUrlSchema,
} from './shared.types.ts';

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

export const createWebhookMeta = {
  scope: 'webhooks:write',
  rest: {
    method: 'POST',
    path: '/webhooks',
    summary: 'Create a webhook subscription; the response shows its signing secret, once',
    tags: [WEBHOOKS_TAG],
    successStatus: 201,
  },
} satisfies ProcedureMeta;
