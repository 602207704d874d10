import { ZCreateWebhookRequestSchema, ZCreateWebhookResponseSchema } from '@tollgate/domain';
import { createWebhook } from '../../core/webhooks.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { createWebhookMeta } from './webhooks.types.ts';

export const createWebhookProcedure = protectedProcedure
  .meta(createWebhookMeta)
  .input(ZCreateWebhookRequestSchema)
  .output(ZCreateWebhookResponseSchema)
  .mutation(({ ctx, input }) => createWebhook(ctx.services, ctx.principal, input, { request: ctx.request }));
