import { rotateWebhookSecret } from '../../core/webhooks.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import {
  rotateWebhookSecretMeta,
  ZRotateWebhookSecretRequestSchema,
  ZRotateWebhookSecretResponseSchema,
} from './rotate-secret.types.ts';

export const rotateWebhookSecretProcedure = protectedProcedure
  .meta(rotateWebhookSecretMeta)
  .input(ZRotateWebhookSecretRequestSchema)
  .output(ZRotateWebhookSecretResponseSchema)
  .mutation(({ ctx, input }) =>
    rotateWebhookSecret(ctx.services, ctx.principal, input, { request: ctx.request }),
  );
