import { MAX_INTEGER_COLUMN, REVIEW_CREDIT_COST } from '@tollgate/domain';
import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { REVIEWS_TAG, ZReviewSchema } from './shared.types.ts';

export const ZTriggerReviewRequestSchema = z.object({
  repositoryId: z.string().trim().min(1).max(100).describe('The repository to review (rep_…)'),
  pullRequest: z.number().int().min(1).max(MAX_INTEGER_COLUMN).optional().describe('Pull request number'),
  title: z.string().trim().min(1, { error: 'Title is required' }).max(200),
});
export type TTriggerReviewRequest = z.infer<typeof ZTriggerReviewRequestSchema>;

export const ZTriggerReviewResponseSchema = ZReviewSchema;

export const triggerReviewMeta = {
  scope: 'reviews:write',
  rest: {
    method: 'POST',
    path: '/reviews/trigger',
    summary: `Queue a review; debits ${REVIEW_CREDIT_COST} credit (402 INSUFFICIENT_CREDITS when the balance is too low)`,
    tags: [REVIEWS_TAG],
    successStatus: 201,
  },
} satisfies ProcedureMeta;
