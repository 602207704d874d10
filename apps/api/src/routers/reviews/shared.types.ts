import { MAX_INTEGER_COLUMN } from '@tollgate/domain';
import { z } from 'zod';
import { ZFindingSeveritySchema } from '../repositories/shared.types.ts';

export const REVIEWS_TAG = 'Reviews';

export const REVIEW_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export const ZReviewStatusSchema = z.enum(REVIEW_STATUSES);
export type TReviewStatus = z.infer<typeof ZReviewStatusSchema>;

/** One thing the review engine found in a file. */
export const ZFindingSchema = z.object({
  path: z.string().trim().min(1).max(500).describe('File path within the repository'),
  line: z
    .number()
    .int()
    .min(1)
    .max(MAX_INTEGER_COLUMN)
    .nullable()
    .default(null)
    .describe('1-based line; null for the whole file'),
  severity: ZFindingSeveritySchema,
  message: z.string().trim().min(1).max(2000),
});
export type TFinding = z.infer<typeof ZFindingSchema>;

export const MAX_FINDINGS = 1000;

/** A review id in a path (`/reviews/{id}`); anything not of the caller's organisation is NOT_FOUND. */
export const ZReviewIdSchema = z.string().trim().min(1).max(100).describe('The review id (rev_…)');

export const ZReviewSchema = z.object({
  id: z.string(),
  repositoryId: z.string(),
  pullRequest: z.number().int().nullable(),
  title: z.string(),
  status: ZReviewStatusSchema,
  findings: z.array(
    z.object({
      path: z.string(),
      line: z.number().int().nullable(),
      severity: ZFindingSeveritySchema,
      message: z.string(),
    }),
  ),
  creditsCharged: z.number().int(),
  /** The user or token that triggered the review; null when Tollgate itself did. */
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** When the review reached a final status (completed, failed or cancelled); null before. */
  completedAt: z.string().nullable(),
});
export type TReview = z.infer<typeof ZReviewSchema>;
