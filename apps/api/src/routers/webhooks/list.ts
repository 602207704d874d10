import { listWebhooks } from '../../core/webhooks.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { listWebhooksMeta, ZListWebhooksRequestSchema, ZListWebhooksResponseSchema } from './list.types.ts';

export const listWebhooksProcedure = protectedProcedure
  .meta(listWebhooksMeta)
  .input(ZListWebhooksRequestSchema)
  .output(ZListWebhooksResponseSchema)
  .query(({ ctx, input }) => listWebhooks(ctx.services, ctx.principal, input));
