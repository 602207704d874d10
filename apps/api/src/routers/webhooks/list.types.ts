import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import {
  WEBHOOKS_TAG,
  ZListCursorSchema,
  ZListLimitSchema,
  ZNextCursorSchema,
  ZWebhookSubscriptionSchema,
} from './shared.types.ts';

export const ZListWebhooksRequestSchema = z
  .object({ limit: ZListLimitSchema, cursor: ZListCursorSchema })
  .default({ limit: 20 });
export type TListWebhooksRequest = z.infer<typeof ZListWebhooksRequestSchema>;

export const ZListWebhooksResponseSchema = z.object({
  data: z.array(ZWebhookSubscriptionSchema),
  nextCursor: ZNextCursorSchema,
});

export const listWebhooksMeta = {
  scope: 'webhooks:read',
  rest: {
    method: 'GET',
    path: '/webhooks',
    summary: 'List webhook subscriptions, newest first (never their signing secrets)',
    tags: [WEBHOOKS_TAG],
  },
} satisfies ProcedureMeta;
