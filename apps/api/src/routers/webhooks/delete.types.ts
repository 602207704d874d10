import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { WEBHOOKS_TAG, ZWebhookIdInputSchema } from './shared.types.ts';

export const ZDeleteWebhookRequestSchema = ZWebhookIdInputSchema;
export const ZDeleteWebhookResponseSchema = z.void();

export const deleteWebhookMeta = {
  scope: 'webhooks:write',
  rest: {
    method: 'DELETE',
    path: '/webhooks/{id}',
    summary: 'Delete a webhook subscription with its pending deliveries and their attempts',
    tags: [WEBHOOKS_TAG],
    successStatus: 204,
  },
} satisfies ProcedureMeta;
