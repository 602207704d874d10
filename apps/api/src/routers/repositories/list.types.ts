import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { REPOSITORIES_TAG, ZRepositorySchema } from './shared.types.ts';

export const ZListRepositoriesRequestSchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(500).optional(),
  })
  .default({ limit: 20 });
export type TListRepositoriesRequest = z.infer<typeof ZListRepositoriesRequestSchema>;

export const ZListRepositoriesResponseSchema = z.object({
  data: z.array(ZRepositorySchema),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});

export const listRepositoriesMeta = {
  scope: 'repositories:read',
  rest: {
    method: 'GET',
    path: '/repositories',
    summary: 'List repositories in name order',
    tags: [REPOSITORIES_TAG],
  },
} satisfies ProcedureMeta;
