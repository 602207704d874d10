import type { ProcedureMeta } from '../../trpc/init.ts';

export const TOKENS_TAG = 'Tokens';

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

export const deactivateTokenMeta = {
  scope: 'tokens:write',
  rest: {
    method: 'POST',
    path: '/tokens/{id}/deactivate',
    summary: 'Deactivate a token (reversible)',
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;

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

export const getTokenMeta = {
  scope: 'tokens:read',
  rest: { method: 'GET', path: '/tokens/{id}', summary: 'Get a token', tags: [TOKENS_TAG] },
} satisfies ProcedureMeta;

export const listTokensMeta = {
  scope: 'tokens:read',
  rest: {
    method: 'GET',
    path: '/tokens',
    summary: 'List tokens (members see their own), newest first unless sorted, with the total',
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;

export const reactivateTokenMeta = {
  scope: 'tokens:write',
  rest: {
    method: 'POST',
    path: '/tokens/{id}/reactivate',
    summary: 'Reactivate a deactivated token',
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;

export const revokeTokenMeta = {
  scope: 'tokens:write',
  rest: {
    method: 'POST',
    path: '/tokens/{id}/revoke',
    summary: 'Revoke a token (immediate and irreversible)',
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;

export const rotateTokenMeta = {
  scope: 'tokens:write',
  rest: {
    method: 'POST',
    path: '/tokens/{id}/rotate',
    summary: 'Issue a new secret; the old one works for the grace period (0–7 days)',
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;

export const selfTokenMeta = {
  scope: null,
  rest: {
    method: 'GET',
    path: '/tokens/self',
    summary: 'The calling token: its record, effective scopes and rate limits',
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;

export const updateTokenMeta = {
  scope: 'tokens:write',
  rest: {
    method: 'PATCH',
    path: '/tokens/{id}',
    summary: 'Update name, description, environment or IP allowlist (not scopes)',
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;

export const tokenUsageMeta = {
  scope: 'tokens:read',
  rest: {
    method: 'GET',
    path: '/tokens/{id}/usage',
    summary:
      "A token's requests per day for the last N days (default 30; counted in batches, a few seconds late)",
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;

/** "End grace now" on a token's page: the previous secret of a rotation is refused from this moment. */
export const endGraceMeta = {
  scope: 'tokens:write',
  rest: {
    method: 'POST',
    path: '/tokens/{id}/end-grace',
    summary: "End a rotation's grace now: the previous secret is refused at once, everywhere",
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;

export const selfRotateTokenMeta = {
  scope: null,
  rest: {
    method: 'POST',
    path: '/tokens/self/rotate',
    summary: 'Issue the calling token a new secret (any valid token); the old one works for the grace period',
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;
