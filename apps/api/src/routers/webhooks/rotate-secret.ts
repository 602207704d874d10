import { ZRotateWebhookSecretRequestSchema, ZRotateWebhookSecretResponseSchema } from '@tollgate/domain';
import { rotateWebhookSecret } from '../../core/webhooks.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { rotateWebhookSecretMeta } from './webhooks.types.ts';

export const rotateWebhookSecretProcedure = protectedProcedure
  .meta(rotateWebhookSecretMeta)
  .input(ZRotateWebhookSecretRequestSchema)
  .output(ZRotateWebhookSecretResponseSchema)
  .mutation(({ ctx, input }) =>
    rotateWebhookSecret(ctx.services, ctx.principal, input, { request: ctx.request }),
  );
