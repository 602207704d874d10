import { ZUpdateWebhookRequestSchema, ZUpdateWebhookResponseSchema } from '@tollgate/domain';
import { updateWebhook } from '../../core/webhooks.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { updateWebhookMeta } from './webhooks.types.ts';

export const updateWebhookProcedure = protectedProcedure
  .meta(updateWebhookMeta)
  .input(ZUpdateWebhookRequestSchema)
  .output(ZUpdateWebhookResponseSchema)
  .mutation(({ ctx, input }) => updateWebhook(ctx.services, ctx.principal, input, { request: ctx.request }));
