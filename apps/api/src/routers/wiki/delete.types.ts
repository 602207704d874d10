import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { WIKI_TAG, ZWikiSlugInputSchema } from './shared.types.ts';

export const ZDeleteWikiPageRequestSchema = ZWikiSlugInputSchema;
export const ZDeleteWikiPageResponseSchema = z.void();

export const deleteWikiPageMeta = {
  scope: 'wiki:write',
  rest: {
    method: 'DELETE',
    path: '/wiki/pages/{slug}',
    summary: 'Delete a wiki page',
    tags: [WIKI_TAG],
    successStatus: 204,
  },
} satisfies ProcedureMeta;
