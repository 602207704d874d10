import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { REVIEWS_TAG } from './shared.types.ts';

export const ZReviewStatsRequestSchema = z
  .object({
    repositoryId: z.string().trim().min(1).max(100).optional().describe('Only reviews of this repository'),
  })
  .default({});
export type TReviewStatsRequest = z.infer<typeof ZReviewStatsRequestSchema>;

export const ZReviewStatsResponseSchema = z.object({
  total: z.number().int(),
  byStatus: z.object({
    queued: z.number().int(),
    running: z.number().int(),
    completed: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
  }),
  /** Mean number of findings of completed reviews; null while none has completed. */
  averageFindings: z.number().nullable(),
  /** Credits charged for the reviews counted. */
  creditsSpent: z.number().int(),
});
export type TReviewStatsResponse = z.infer<typeof ZReviewStatsResponseSchema>;

export const reviewStatsMeta = {
  scope: 'reviews:read',
  rest: {
    method: 'GET',
    path: '/reviews/stats',
    summary: 'Review counts by status, average findings and credits spent',
    tags: [REVIEWS_TAG],
  },
} satisfies ProcedureMeta;
