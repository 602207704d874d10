import { ZWebhookEvent } from '@tollgate/domain';
import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { WEBHOOKS_TAG, ZListCursorSchema, ZListLimitSchema, ZNextCursorSchema } from './shared.types.ts';

export const ZListWebhookEventsRequestSchema = z
  .object({
    limit: ZListLimitSchema,
    cursor: ZListCursorSchema,
    type: ZWebhookEvent.optional().describe('Only events of this type'),
  })
  .default({ limit: 20 });
export type TListWebhookEventsRequest = z.infer<typeof ZListWebhookEventsRequestSchema>;

export const ZWebhookEventSchema = z.object({
  id: z.string(),
  type: ZWebhookEvent,
  createdAt: z.string(),
  data: z.record(z.string(), z.unknown()).describe('The payload, as deliveries carry it in `data`'),
});
export type TWebhookEvent = z.infer<typeof ZWebhookEventSchema>;

export const ZListWebhookEventsResponseSchema = z.object({
  catalogue: z
    .array(z.object({ type: ZWebhookEvent, description: z.string() }))
    .describe('Every event a subscription can ask for'),
  data: z.array(ZWebhookEventSchema).describe('The organisation’s recent events, newest first'),
  nextCursor: ZNextCursorSchema,
});
export type TListWebhookEventsResponse = z.infer<typeof ZListWebhookEventsResponseSchema>;

export const listWebhookEventsMeta = {
  scope: 'webhooks:read',
  rest: {
    method: 'GET',
    path: '/webhooks/events',
    summary: 'The event catalogue, and the organisation’s recent events newest first',
    tags: [WEBHOOKS_TAG],
  },
} satisfies ProcedureMeta;
