import { z } from 'zod';
import { REVIEW_STATUSES } from '../review/status.ts';
import { MAX_INTEGER_COLUMN } from './bounds.ts';
import { ZPage, ZPageCursor, ZPageLimit } from './page.ts';
import { ZFindingSeveritySchema } from './repositories.ts';

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

export const ZGetReviewRequestSchema = z.object({ id: ZReviewIdSchema });

export const ZGetReviewResponseSchema = ZReviewSchema;

export const ZListReviewsRequestSchema = z
  .object({
    repositoryId: z.string().trim().min(1).max(100).optional().describe('Only reviews of this repository'),
    status: ZReviewStatusSchema.optional(),
    limit: ZPageLimit,
    cursor: ZPageCursor,
  })
  .default({ limit: 20 });

export type TListReviewsRequest = z.infer<typeof ZListReviewsRequestSchema>;

export const ZListReviewsResponseSchema = ZPage(ZReviewSchema);

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

export const ZTriggerReviewRequestSchema = z.object({
  repositoryId: z.string().trim().min(1).max(100).describe('The repository to review (rep_…)'),
  pullRequest: z.number().int().min(1).max(MAX_INTEGER_COLUMN).optional().describe('Pull request number'),
  title: z.string().trim().min(1, { error: 'Title is required' }).max(200),
});

export type TTriggerReviewRequest = z.infer<typeof ZTriggerReviewRequestSchema>;

export const ZTriggerReviewResponseSchema = ZReviewSchema;

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
