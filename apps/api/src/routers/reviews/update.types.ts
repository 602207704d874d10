import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import {
  MAX_FINDINGS,
  REVIEWS_TAG,
  ZFindingSchema,
  ZReviewIdSchema,
  ZReviewSchema,
  ZReviewStatusSchema,
} from './shared.types.ts';

export const ZUpdateReviewRequestSchema = z
  .object({
    id: ZReviewIdSchema,
    status: ZReviewStatusSchema.optional().describe(
      'queued → running | cancelled; running → completed | failed | cancelled; final statuses never change',
    ),
    findings: z.array(ZFindingSchema).max(MAX_FINDINGS).optional().describe('Replaces the stored findings'),
  })
  .refine((input) => input.status !== undefined || input.findings !== undefined, {
    error: 'Give a status, findings, or both',
    path: ['status'],
  });
export type TUpdateReviewRequest = z.infer<typeof ZUpdateReviewRequestSchema>;

export const ZUpdateReviewResponseSchema = ZReviewSchema;

export const updateReviewMeta = {
  scope: 'reviews:write',
  rest: {
    method: 'PATCH',
    path: '/reviews/{id}',
    summary: 'Move a review along its statuses and record its findings (the review engine)',
    tags: [REVIEWS_TAG],
  },
} satisfies ProcedureMeta;
