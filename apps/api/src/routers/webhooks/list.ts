import { ZListWebhooksRequestSchema, ZListWebhooksResponseSchema } from '@tollgate/domain';
import { listWebhooks } from '../../core/webhooks.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { listWebhooksMeta } from './webhooks.types.ts';

export const listWebhooksProcedure = protectedProcedure
  .meta(listWebhooksMeta)
  .input(ZListWebhooksRequestSchema)
  .output(ZListWebhooksResponseSchema)
  .query(({ ctx, input }) => listWebhooks(ctx.services, ctx.principal, input));
