import { ZToken, ZUpdateTokenInput } from '@tollgate/domain';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { TOKENS_TAG, ZTokenIdSchema } from './shared.types.ts';

// Strict: a request that tries to change scopes (or anything else not updatable) is refused, not ignored.
export const ZUpdateTokenRequestSchema = ZUpdateTokenInput.extend({ id: ZTokenIdSchema }).strict();
export const ZUpdateTokenResponseSchema = ZToken;

export const updateTokenMeta = {
  scope: 'tokens:write',
  rest: {
    method: 'PATCH',
    path: '/tokens/{id}',
    summary: 'Update name, description, environment or IP allowlist (not scopes)',
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;
