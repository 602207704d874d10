import { ZCreateTokenInput, ZTokenWithSecret } from '@tollgate/domain';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { TOKENS_TAG } from './shared.types.ts';

export const ZCreateTokenRequestSchema = ZCreateTokenInput;
export const ZCreateTokenResponseSchema = ZTokenWithSecret;

export const createTokenMeta = {
  scope: 'tokens:write',
  rest: {
    method: 'POST',
    path: '/tokens',
    summary: 'Create a token; the plain token is in this response only',
    tags: [TOKENS_TAG],
    successStatus: 201,
  },
} satisfies ProcedureMeta;
