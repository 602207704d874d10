import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { TOKENS_TAG, ZTokenIdSchema } from './shared.types.ts';

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
