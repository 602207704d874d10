import { ZToken } from '@tollgate/domain';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { TOKENS_TAG, ZTokenIdInputSchema } from './shared.types.ts';

export const ZRevokeTokenRequestSchema = ZTokenIdInputSchema;
export const ZRevokeTokenResponseSchema = ZToken;

export const revokeTokenMeta = {
  scope: 'tokens:write',
  rest: {
    method: 'POST',
    path: '/tokens/{id}/revoke',
    summary: 'Revoke a token (immediate and irreversible)',
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;
