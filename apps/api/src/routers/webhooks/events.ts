import { ZListWebhookEventsRequestSchema, ZListWebhookEventsResponseSchema } from '@tollgate/domain';
import { listWebhookEvents } from '../../core/webhooks.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { listWebhookEventsMeta } from './webhooks.types.ts';

export const listWebhookEventsProcedure = protectedProcedure
  .meta(listWebhookEventsMeta)
  .input(ZListWebhookEventsRequestSchema)
  .output(ZListWebhookEventsResponseSchema)
  .query(({ ctx, input }) => listWebhookEvents(ctx.services, ctx.principal, input));
