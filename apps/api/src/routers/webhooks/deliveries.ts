import { ZListWebhookDeliveriesRequestSchema, ZListWebhookDeliveriesResponseSchema } from '@tollgate/domain';
import { listWebhookDeliveries } from '../../core/webhooks.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { listWebhookDeliveriesMeta } from './webhooks.types.ts';

export const listWebhookDeliveriesProcedure = protectedProcedure
  .meta(listWebhookDeliveriesMeta)
  .input(ZListWebhookDeliveriesRequestSchema)
  .output(ZListWebhookDeliveriesResponseSchema)
  .query(({ ctx, input }) => listWebhookDeliveries(ctx.services, ctx.principal, input));
