import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { REPOSITORIES_TAG, ZRepositoryIdInputSchema } from './shared.types.ts';

export const ZDeleteRepositoryRequestSchema = ZRepositoryIdInputSchema;
export const ZDeleteRepositoryResponseSchema = z.void();

export const deleteRepositoryMeta = {
  scope: 'repositories:write',
  rest: {
    method: 'DELETE',
    path: '/repositories/{id}',
    summary: 'Remove a repository and its reviews (the credit ledger keeps its entries)',
    tags: [REPOSITORIES_TAG],
    successStatus: 204,
  },
} satisfies ProcedureMeta;
