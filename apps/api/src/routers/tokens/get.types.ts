import { ZToken } from '@tollgate/domain';
import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { TOKENS_TAG, ZTokenIdInputSchema } from './shared.types.ts';

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

export const getTokenMeta = {
  scope: 'tokens:read',
  rest: { method: 'GET', path: '/tokens/{id}', summary: 'Get a token', tags: [TOKENS_TAG] },
} satisfies ProcedureMeta;
