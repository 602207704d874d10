import { ZScopeList, ZToken } from '@tollgate/domain';
import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { TOKENS_TAG } from './shared.types.ts';

const ZRateLimitWindowSchema = z.object({
  limit: z.number().int().positive(),
  remaining: z.number().int().nonnegative(),
  reset: z.number().int().describe('When the window starts again, Unix seconds'),
});

export const ZSelfTokenResponseSchema = ZToken.extend({
  lastUsedAt: ZToken.shape.lastUsedAt.describe('This very request: asking is itself a use of the token'),
  effectiveScopes: ZScopeList.describe(
    "Token scopes ∩ the subject's current role ceiling (service tokens: token scopes)",
  ),
  rateLimits: z
    .object({ perMinute: z.number().int().positive(), perHour: z.number().int().positive() })
    .describe("The lower of the organisation's tier limits and the token's own"),
  rateLimit: z
    .object({ minute: ZRateLimitWindowSchema, hour: ZRateLimitWindowSchema })
    .optional()
    .describe('The live counters after this request, per window'),
});
export type TSelfTokenResponse = z.infer<typeof ZSelfTokenResponseSchema>;

export const selfTokenMeta = {
  scope: null,
  rest: {
    method: 'GET',
    path: '/tokens/self',
    summary: 'The calling token: its record, effective scopes and rate limits',
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;
