import { z } from 'zod';
import { ZPage } from './page.ts';
import {
  ZCreateTokenInput,
  ZListTokensInput,
  ZRotateTokenInput,
  ZScopeList,
  ZToken,
  ZTokenWithSecret,
  ZUpdateTokenInput,
} from './token.ts';

/** A token id in a path (`/tokens/{id}`). Anything that is not a token of the caller's organisation is NOT_FOUND. */
export const ZTokenIdSchema = z.string().trim().min(1).max(100).describe('The token id (tok_…)');

export const ZTokenIdInputSchema = z.object({ id: ZTokenIdSchema });

export type TTokenIdInput = z.infer<typeof ZTokenIdInputSchema>;

export const ZCreateTokenRequestSchema = ZCreateTokenInput;

export const ZCreateTokenResponseSchema = ZTokenWithSecret;

export const ZDeactivateTokenRequestSchema = ZTokenIdInputSchema;

export const ZDeactivateTokenResponseSchema = ZToken;

export const ZDeleteTokenRequestSchema = ZTokenIdInputSchema;

export const ZDeleteTokenResponseSchema = z.void();

export const ZGetTokenRequestSchema = ZTokenIdInputSchema;

/** The token object of §3, plus what a token's own page shows: its own limits and its rotation state. */
export const ZGetTokenResponseSchema = ZToken.extend({
  rateLimitPerMinute: z.number().int().nullable().describe("The token's own per-minute limit; null for none"),
  rateLimitPerHour: z.number().int().nullable().describe("The token's own per-hour limit; null for none"),
  previousSecretExpiresAt: z.iso
    .datetime()
    .nullable()
    .describe(
      'After a rotation with grace: until when the previous secret still works; null when it does not',
    ),
});

export const ZListTokensRequestSchema = ZListTokensInput;

export const ZListTokensResponseSchema = ZPage(ZToken).extend({
  total: z.number().int().min(0).describe('How many tokens match the filters, on every page'),
});

export type TListTokensResponse = z.infer<typeof ZListTokensResponseSchema>;

export const ZReactivateTokenRequestSchema = ZTokenIdInputSchema;

export const ZReactivateTokenResponseSchema = ZToken;

export const ZRevokeTokenRequestSchema = ZTokenIdInputSchema;

export const ZRevokeTokenResponseSchema = ZToken;

export const ZRotateTokenRequestSchema = ZRotateTokenInput.extend({ id: ZTokenIdSchema });

export const ZRotateTokenResponseSchema = ZTokenWithSecret;

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

// Strict: a request that tries to change scopes (or anything else not updatable) is refused, not ignored.
export const ZUpdateTokenRequestSchema = ZUpdateTokenInput.extend({ id: ZTokenIdSchema }).strict();

export const ZUpdateTokenResponseSchema = ZToken;

export const MAX_TOKEN_USAGE_DAYS = 90;

export const ZTokenUsageRequestSchema = z.object({
  id: ZTokenIdSchema,
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_TOKEN_USAGE_DAYS)
    .default(30)
    .describe(`How many days, ending today (UTC): 1 to ${MAX_TOKEN_USAGE_DAYS}`),
});

export type TTokenUsageRequest = z.infer<typeof ZTokenUsageRequestSchema>;

export const ZTokenUsageResponseSchema = z.object({
  /** One entry per UTC day, oldest first, days without requests included with 0. */
  data: z.array(
    z.object({
      date: z.string().describe('YYYY-MM-DD, UTC'),
      requests: z.number().int(),
    }),
  ),
  total: z.number().int(),
});

export type TTokenUsageResponse = z.infer<typeof ZTokenUsageResponseSchema>;

export const ZEndGraceRequestSchema = ZTokenIdInputSchema;
export const ZEndGraceResponseSchema = ZGetTokenResponseSchema;

export const ZSelfRotateTokenRequestSchema = ZRotateTokenInput;
export const ZSelfRotateTokenResponseSchema = ZTokenWithSecret;
