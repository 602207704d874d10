import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import {
  REPOSITORIES_TAG,
  ZBranchNameSchema,
  ZRepositoryNameSchema,
  ZRepositorySchema,
  ZRepositoryUrlSchema,
  ZReviewSettingsSchema,
} from './shared.types.ts';

export const ZCreateRepositoryRequestSchema = z.object({
  name: ZRepositoryNameSchema.describe('Unique within the organisation'),
  url: ZRepositoryUrlSchema.optional(),
  defaultBranch: ZBranchNameSchema.default('main'),
  reviewSettings: ZReviewSettingsSchema.default({ autoReview: true, minSeverity: 'info', ignorePaths: [] }),
});
export type TCreateRepositoryRequest = z.infer<typeof ZCreateRepositoryRequestSchema>;

export const ZCreateRepositoryResponseSchema = ZRepositorySchema;

export const createRepositoryMeta = {
  scope: 'repositories:write',
  rest: {
    method: 'POST',
    path: '/repositories',
    summary: 'Add a repository (names are unique within the organisation)',
    tags: [REPOSITORIES_TAG],
    successStatus: 201,
  },
} satisfies ProcedureMeta;
