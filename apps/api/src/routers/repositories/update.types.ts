import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import {
  REPOSITORIES_TAG,
  ZBranchNameSchema,
  ZRepositoryIdSchema,
  ZRepositoryNameSchema,
  ZRepositorySchema,
  ZRepositoryUrlSchema,
  ZReviewSettingsPatchSchema,
} from './shared.types.ts';

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

export const updateRepositoryMeta = {
  scope: 'repositories:write',
  rest: {
    method: 'PATCH',
    path: '/repositories/{id}',
    summary: 'Rename a repository or change its URL, default branch or review settings',
    tags: [REPOSITORIES_TAG],
  },
} satisfies ProcedureMeta;
