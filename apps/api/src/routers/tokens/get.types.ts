import { ZToken } from '@tollgate/domain';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { TOKENS_TAG, ZTokenIdInputSchema } from './shared.types.ts';

export const ZGetTokenRequestSchema = ZTokenIdInputSchema;
export const ZGetTokenResponseSchema = ZToken;

export const getTokenMeta = {
  scope: 'tokens:read',
  rest: { method: 'GET', path: '/tokens/{id}', summary: 'Get a token', tags: [TOKENS_TAG] },
} satisfies ProcedureMeta;
