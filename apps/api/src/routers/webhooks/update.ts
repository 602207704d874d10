import { updateWebhook } from '../../core/webhooks.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import {
  updateWebhookMeta,
  ZUpdateWebhookRequestSchema,
  ZUpdateWebhookResponseSchema,
} from './update.types.ts';

export const updateWebhookProcedure = protectedProcedure
  .meta(updateWebhookMeta)
  .input(ZUpdateWebhookRequestSchema)
  .output(ZUpdateWebhookResponseSchema)
  .mutation(({ ctx, input }) => updateWebhook(ctx.services, ctx.principal, input, { request: ctx.request }));
