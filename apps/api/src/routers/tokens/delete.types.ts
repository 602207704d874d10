import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { TOKENS_TAG, ZTokenIdInputSchema } from './shared.types.ts';

export const ZDeleteTokenRequestSchema = ZTokenIdInputSchema;
export const ZDeleteTokenResponseSchema = z.void();

export const deleteTokenMeta = {
  scope: 'tokens:write',
  rest: {
    method: 'DELETE',
    path: '/tokens/{id}',
    summary: 'Delete a token for good (its audit entries remain)',
    tags: [TOKENS_TAG],
    successStatus: 204,
  },
} satisfies ProcedureMeta;
