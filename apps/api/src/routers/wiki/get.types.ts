import type { ProcedureMeta } from '../../trpc/init.ts';
import { WIKI_TAG, ZWikiPageSchema, ZWikiSlugInputSchema } from './shared.types.ts';

export const ZGetWikiPageRequestSchema = ZWikiSlugInputSchema;
export const ZGetWikiPageResponseSchema = ZWikiPageSchema;

export const getWikiPageMeta = {
  scope: 'wiki:read',
  rest: {
    method: 'GET',
    path: '/wiki/pages/{slug}',
    summary: 'Get a wiki page with its body',
    tags: [WIKI_TAG],
  },
} satisfies ProcedureMeta;
