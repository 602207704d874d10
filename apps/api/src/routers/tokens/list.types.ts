import { ZListTokensInput, ZToken } from '@tollgate/domain';
import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { TOKENS_TAG } from './shared.types.ts';

export const ZListTokensRequestSchema = ZListTokensInput;
export const ZListTokensResponseSchema = z.object({
  data: z.array(ZToken),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});
export type TListTokensResponse = z.infer<typeof ZListTokensResponseSchema>;

export const listTokensMeta = {
  scope: 'tokens:read',
  rest: {
    method: 'GET',
    path: '/tokens',
    summary: 'List tokens (members see their own), newest first',
    tags: [TOKENS_TAG],
  },
} satisfies ProcedureMeta;
