import { ZToken } from '@tollgate/domain';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { TOKENS_TAG, ZTokenIdInputSchema } from './shared.types.ts';

export const ZDeactivateTokenRequestSchema = ZTokenIdInputSchema;
export const ZDeactivateTokenResponseSchema = ZToken;

export const deactivateTokenMeta = {
  scope: 'tokens:write',
  rest: {
    method: 'POST',
    path: '/tokens/{id}/deactivate',
    summary: 'Deactivate a token (reversible)',
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;
