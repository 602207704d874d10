import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { WIKI_TAG, ZWikiPageSummarySchema } from './shared.types.ts';

export const ZListWikiPagesRequestSchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(500).optional(),
  })
  .default({ limit: 20 });
export type TListWikiPagesRequest = z.infer<typeof ZListWikiPagesRequestSchema>;

export const ZListWikiPagesResponseSchema = z.object({
  data: z.array(ZWikiPageSummarySchema),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});

export const listWikiPagesMeta = {
  scope: 'wiki:read',
  rest: {
    method: 'GET',
    path: '/wiki/pages',
    summary: 'List wiki pages in slug order (without their bodies)',
    tags: [WIKI_TAG],
  },
} satisfies ProcedureMeta;
