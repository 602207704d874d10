import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { BILLING_TAG } from './shared.types.ts';

export const MAX_USAGE_DAYS = 90;

export const ZGetUsageRequestSchema = z
  .object({
    days: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_USAGE_DAYS)
      .default(30)
      .describe(`How many days, ending today (UTC): 1 to ${MAX_USAGE_DAYS}`),
  })
  .default({ days: 30 });
export type TGetUsageRequest = z.infer<typeof ZGetUsageRequestSchema>;

export const ZUsageDaySchema = z.object({
  /** 'YYYY-MM-DD', UTC. */
  date: z.string(),
  /** Credits spent that day. */
  creditsDebited: z.number().int(),
  /** Credits added that day (purchases, grants, refunds). */
  creditsAdded: z.number().int(),
  /** Requests made with the organisation's tokens that day (counted in batches, so a few seconds late). */
  apiRequests: z.number().int(),
});

export const ZGetUsageResponseSchema = z.object({
  /** One entry per day, oldest first, days without activity included with zeros. */
  data: z.array(ZUsageDaySchema),
  totals: z.object({
    creditsDebited: z.number().int(),
    creditsAdded: z.number().int(),
    apiRequests: z.number().int(),
  }),
});
export type TGetUsageResponse = z.infer<typeof ZGetUsageResponseSchema>;

export const getUsageMeta = {
  scope: 'billing:read',
  rest: {
    method: 'GET',
    path: '/billing/usage',
    summary: 'Credits and API requests per day for the last N days (default 30, at most 90)',
    tags: [BILLING_TAG],
  },
} satisfies ProcedureMeta;
