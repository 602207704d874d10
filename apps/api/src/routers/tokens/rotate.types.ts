import { ZRotateTokenInput, ZTokenWithSecret } from '@tollgate/domain';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { TOKENS_TAG, ZTokenIdSchema } from './shared.types.ts';

export const ZRotateTokenRequestSchema = ZRotateTokenInput.extend({ id: ZTokenIdSchema });
export const ZRotateTokenResponseSchema = ZTokenWithSecret;

export const rotateTokenMeta = {
  scope: 'tokens:write',
  rest: {
    method: 'POST',
    path: '/tokens/{id}/rotate',
    summary: 'Issue a new secret; the old one works for the grace period (0–7 days)',
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;
