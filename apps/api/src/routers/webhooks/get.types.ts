import type { ProcedureMeta } from '../../trpc/init.ts';
import { WEBHOOKS_TAG, ZWebhookIdInputSchema, ZWebhookSubscriptionSchema } from './shared.types.ts';

export const ZGetWebhookRequestSchema = ZWebhookIdInputSchema;
export const ZGetWebhookResponseSchema = ZWebhookSubscriptionSchema;

export const getWebhookMeta = {
  scope: 'webhooks:read',
  rest: {
    method: 'GET',
    path: '/webhooks/{id}',
    summary: 'Get a webhook subscription (never its signing secret)',
    tags: [WEBHOOKS_TAG],
  },
} satisfies ProcedureMeta;
