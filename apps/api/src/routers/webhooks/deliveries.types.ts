import { ZWebhookEvent } from '@tollgate/domain';
import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import {
  WEBHOOKS_TAG,
  ZListCursorSchema,
  ZListLimitSchema,
  ZNextCursorSchema,
  ZWebhookIdSchema,
} from './shared.types.ts';

export const ZListWebhookDeliveriesRequestSchema = z.object({
  id: ZWebhookIdSchema,
  limit: ZListLimitSchema,
  cursor: ZListCursorSchema,
});
export type TListWebhookDeliveriesRequest = z.infer<typeof ZListWebhookDeliveriesRequestSchema>;

export const ZWebhookAttemptSchema = z.object({
  id: z.string(),
  attemptedAt: z.string(),
  statusCode: z.number().int().nullable().describe('The receiver’s HTTP status; null when none came'),
  durationMs: z.number().int(),
  error: z.string().nullable(),
});

export const ZWebhookDeliverySchema = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: ZWebhookEvent,
  status: z.enum(['pending', 'succeeded', 'failed']),
  attemptCount: z.number().int(),
  nextAttemptAt: z.string().nullable().describe('When a pending delivery is tried next; null otherwise'),
  lastStatusCode: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  attempts: z.array(ZWebhookAttemptSchema).describe('Newest first'),
});
export type TWebhookDelivery = z.infer<typeof ZWebhookDeliverySchema>;

export const ZListWebhookDeliveriesResponseSchema = z.object({
  data: z.array(ZWebhookDeliverySchema),
  nextCursor: ZNextCursorSchema,
});

export const listWebhookDeliveriesMeta = {
  scope: 'webhooks:read',
  rest: {
    method: 'GET',
    path: '/webhooks/{id}/deliveries',
    summary: 'A subscription’s deliveries with their attempts, newest first',
    tags: [WEBHOOKS_TAG],
  },
} satisfies ProcedureMeta;
