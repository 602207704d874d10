import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { WEBHOOKS_TAG, ZWebhookIdInputSchema, ZWebhookSubscriptionSchema } from './shared.types.ts';

export const ZRotateWebhookSecretRequestSchema = ZWebhookIdInputSchema;
export type TRotateWebhookSecretRequest = z.infer<typeof ZRotateWebhookSecretRequestSchema>;

export const ZRotateWebhookSecretResponseSchema = ZWebhookSubscriptionSchema.extend({
  secret: z
    .string()
    .describe('The new signing secret (`whsec_…`): shown in this response only, store it now'),
});
export type TRotateWebhookSecretResponse = z.infer<typeof ZRotateWebhookSecretResponseSchema>;

export const rotateWebhookSecretMeta = {
  scope: 'webhooks:write',
  rest: {
    method: 'POST',
    path: '/webhooks/{id}/rotate-secret',
    summary:
      'Roll the signing secret: deliveries are signed with both the new and the previous secret for 24 hours',
    tags: [WEBHOOKS_TAG],
    successStatus: 200,
  },
} satisfies ProcedureMeta;
