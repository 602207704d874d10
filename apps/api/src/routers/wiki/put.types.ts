import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { MAX_WIKI_BODY_LENGTH, WIKI_TAG, ZWikiPageSchema, ZWikiSlugSchema } from './shared.types.ts';

export const ZPutWikiPageRequestSchema = z.object({
  slug: ZWikiSlugSchema,
  title: z.string().trim().min(1, { error: 'Title is required' }).max(200),
  body: z.string().max(MAX_WIKI_BODY_LENGTH).default('').describe('Markdown'),
});
export type TPutWikiPageRequest = z.infer<typeof ZPutWikiPageRequestSchema>;

export const ZPutWikiPageResponseSchema = ZWikiPageSchema;

export const putWikiPageMeta = {
  scope: 'wiki:write',
  rest: {
    method: 'PUT',
    path: '/wiki/pages/{slug}',
    summary: 'Create a wiki page, or replace its title and body',
    tags: [WIKI_TAG],
  },
} satisfies ProcedureMeta;
