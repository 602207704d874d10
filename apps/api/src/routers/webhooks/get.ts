import { ZGetWebhookRequestSchema, ZGetWebhookResponseSchema } from '@tollgate/domain';
import { getWebhook } from '../../core/webhooks.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { getWebhookMeta } from './webhooks.types.ts';

export const getWebhookProcedure = protectedProcedure
  .meta(getWebhookMeta)
  .input(ZGetWebhookRequestSchema)
  .output(ZGetWebhookResponseSchema)
  .query(({ ctx, input }) => getWebhook(ctx.services, ctx.principal, input));
