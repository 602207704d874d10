import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { REVIEWS_TAG, ZReviewIdSchema, ZReviewSchema } from './shared.types.ts';

export const ZGetReviewRequestSchema = z.object({ id: ZReviewIdSchema });
export const ZGetReviewResponseSchema = ZReviewSchema;

export const getReviewMeta = {
  scope: 'reviews:read',
  rest: {
    method: 'GET',
    path: '/reviews/{id}',
    summary: 'Get a review with its findings',
    tags: [REVIEWS_TAG],
  },
} satisfies ProcedureMeta;
