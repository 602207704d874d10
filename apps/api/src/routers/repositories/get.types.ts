import type { ProcedureMeta } from '../../trpc/init.ts';
import { REPOSITORIES_TAG, ZRepositoryIdInputSchema, ZRepositorySchema } from './shared.types.ts';

export const ZGetRepositoryRequestSchema = ZRepositoryIdInputSchema;
export const ZGetRepositoryResponseSchema = ZRepositorySchema;

export const getRepositoryMeta = {
  scope: 'repositories:read',
  rest: {
    method: 'GET',
    path: '/repositories/{id}',
    summary: 'Get a repository with its review settings',
    tags: [REPOSITORIES_TAG],
  },
} satisfies ProcedureMeta;
