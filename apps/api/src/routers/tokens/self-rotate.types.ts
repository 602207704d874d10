import { ZRotateTokenInput, ZTokenWithSecret } from '@tollgate/domain';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { TOKENS_TAG } from './shared.types.ts';

export const ZSelfRotateTokenRequestSchema = ZRotateTokenInput;
export const ZSelfRotateTokenResponseSchema = ZTokenWithSecret;

export const selfRotateTokenMeta = {
  scope: null,
  rest: {
    method: 'POST',
    path: '/tokens/self/rotate',
    summary: 'Issue the calling token a new secret (any valid token); the old one works for the grace period',
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;
