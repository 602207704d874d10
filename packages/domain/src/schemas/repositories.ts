import { z } from 'zod';
import { ZPage, ZPageCursor, ZPageLimit } from './page.ts';

/** How serious a finding is; a repository's `minSeverity` hides findings below it. */
export const FINDING_SEVERITIES = ['info', 'warning', 'error'] as const;

export const ZFindingSeveritySchema = z.enum(FINDING_SEVERITIES);

export type TFindingSeverity = z.infer<typeof ZFindingSeveritySchema>;

const ZIgnorePathsSchema = z
  .array(z.string().trim().min(1).max(200))
  .max(50)
  .describe('Glob patterns of paths the review engine skips, e.g. `dist/**`');

/** A repository's review settings: every field has a default, so stored settings always resolve. */
export const ZReviewSettingsSchema = z.strictObject({
  autoReview: z.boolean().default(true).describe('Review every new pull request without being asked'),
  minSeverity: ZFindingSeveritySchema.default('info').describe(
    'Findings below this severity are not reported',
  ),
  ignorePaths: ZIgnorePathsSchema.default([]),
});

export type TReviewSettings = z.infer<typeof ZReviewSettingsSchema>;

/** A change to review settings: the fields given replace those stored, the others stay. */
export const ZReviewSettingsPatchSchema = z.strictObject({
  autoReview: z.boolean().optional(),
  minSeverity: ZFindingSeveritySchema.optional(),
  ignorePaths: ZIgnorePathsSchema.optional(),
});

export const ZRepositoryNameSchema = z
  .string()
  .trim()
  .min(1, { error: 'Name is required' })
  .max(100)
  .regex(/^[A-Za-z0-9._/-]+$/, {
    error: 'Name is letters, digits, ".", "_", "-" and "/" (e.g. acme/web)',
  });

export const ZRepositoryUrlSchema = z
  .url({ protocol: /^https?$/, error: 'URL must be an http(s) URL' })
  .max(2000)
  .describe('Where the repository lives, e.g. https://github.com/acme/web');

export const ZBranchNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[^\s~^:?*[\\]+$/, { error: 'Not a valid branch name' });

/** A repository id in a path (`/repositories/{id}`); anything not of the caller's organisation is NOT_FOUND. */
export const ZRepositoryIdSchema = z.string().trim().min(1).max(100).describe('The repository id (rep_…)');

export const ZRepositoryIdInputSchema = z.object({ id: ZRepositoryIdSchema });

export const ZRepositorySchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string().nullable(),
  defaultBranch: z.string(),
  reviewSettings: z.object({
    autoReview: z.boolean(),
    minSeverity: ZFindingSeveritySchema,
    ignorePaths: z.array(z.string()),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type TRepository = z.infer<typeof ZRepositorySchema>;

export const ZCreateRepositoryRequestSchema = z.object({
  name: ZRepositoryNameSchema.describe('Unique within the organisation'),
  url: ZRepositoryUrlSchema.optional(),
  defaultBranch: ZBranchNameSchema.default('main'),
  reviewSettings: ZReviewSettingsSchema.default({ autoReview: true, minSeverity: 'info', ignorePaths: [] }),
});

export type TCreateRepositoryRequest = z.infer<typeof ZCreateRepositoryRequestSchema>;

export const ZCreateRepositoryResponseSchema = ZRepositorySchema;

export const ZDeleteRepositoryRequestSchema = ZRepositoryIdInputSchema;

export const ZDeleteRepositoryResponseSchema = z.void();

export const ZGetRepositoryRequestSchema = ZRepositoryIdInputSchema;

export const ZGetRepositoryResponseSchema = ZRepositorySchema;

export const ZListRepositoriesRequestSchema = z
  .object({
    limit: ZPageLimit,
    cursor: ZPageCursor,
  })
  .default({ limit: 20 });

export type TListRepositoriesRequest = z.infer<typeof ZListRepositoriesRequestSchema>;

export const ZListRepositoriesResponseSchema = ZPage(ZRepositorySchema);

export const ZUpdateRepositoryRequestSchema = z.object({
  id: ZRepositoryIdSchema,
  name: ZRepositoryNameSchema.optional(),
  url: ZRepositoryUrlSchema.nullable().optional().describe('null removes the URL'),
  defaultBranch: ZBranchNameSchema.optional(),
  reviewSettings: ZReviewSettingsPatchSchema.optional().describe(
    'Fields given replace the stored ones; the others stay',
  ),
});

export type TUpdateRepositoryRequest = z.infer<typeof ZUpdateRepositoryRequestSchema>;

export const ZUpdateRepositoryResponseSchema = ZRepositorySchema;
