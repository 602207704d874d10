import { ZDeleteWebhookRequestSchema, ZDeleteWebhookResponseSchema } from '@tollgate/domain';
import { deleteWebhook } from '../../core/webhooks.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { deleteWebhookMeta } from './webhooks.types.ts';

export const deleteWebhookProcedure = protectedProcedure
  .meta(deleteWebhookMeta)
  .input(ZDeleteWebhookRequestSchema)
  .output(ZDeleteWebhookResponseSchema)
  .mutation(({ ctx, input }) => deleteWebhook(ctx.services, ctx.principal, input, { request: ctx.request }));
