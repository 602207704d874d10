import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { REVIEWS_TAG, ZReviewSchema, ZReviewStatusSchema } from './shared.types.ts';

export const ZListReviewsRequestSchema = z
  .object({
    repositoryId: z.string().trim().min(1).max(100).optional().describe('Only reviews of this repository'),
    status: ZReviewStatusSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(500).optional(),
  })
  .default({ limit: 20 });
export type TListReviewsRequest = z.infer<typeof ZListReviewsRequestSchema>;

export const ZListReviewsResponseSchema = z.object({
  data: z.array(ZReviewSchema),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});

export const listReviewsMeta = {
  scope: 'reviews:read',
  rest: {
    method: 'GET',
    path: '/reviews',
    summary: 'List reviews, newest first (filters: repositoryId, status)',
    tags: [REVIEWS_TAG],
  },
} satisfies ProcedureMeta;
