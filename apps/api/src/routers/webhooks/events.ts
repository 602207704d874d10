import { listWebhookEvents } from '../../core/webhooks.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import {
  listWebhookEventsMeta,
  ZListWebhookEventsRequestSchema,
  ZListWebhookEventsResponseSchema,
} from './events.types.ts';

export const listWebhookEventsProcedure = protectedProcedure
  .meta(listWebhookEventsMeta)
  .input(ZListWebhookEventsRequestSchema)
  .output(ZListWebhookEventsResponseSchema)
  .query(({ ctx, input }) => listWebhookEvents(ctx.services, ctx.principal, input));
