import { ZToken } from '@tollgate/domain';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { TOKENS_TAG, ZTokenIdInputSchema } from './shared.types.ts';

export const ZReactivateTokenRequestSchema = ZTokenIdInputSchema;
export const ZReactivateTokenResponseSchema = ZToken;

export const reactivateTokenMeta = {
  scope: 'tokens:write',
  rest: {
    method: 'POST',
    path: '/tokens/{id}/reactivate',
    summary: 'Reactivate a deactivated token',
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;
