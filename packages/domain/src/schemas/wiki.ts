import { z } from 'zod';
import { ZPage, ZPageCursor, ZPageLimit } from './page.ts';

/** The longest page body accepted, in characters. */
export const MAX_WIKI_BODY_LENGTH = 100_000;

export const ZWikiSlugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, {
    error: 'Slug is 1–100 lowercase letters, digits and "-", starting with a letter or digit',
  })
  .describe('The page slug, e.g. `getting-started`');

export const ZWikiSlugInputSchema = z.object({ slug: ZWikiSlugSchema });

export const ZWikiPageSummarySchema = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  /** The user or token that last wrote the page; null when Tollgate itself did. */
  updatedBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type TWikiPageSummary = z.infer<typeof ZWikiPageSummarySchema>;

export const ZWikiPageSchema = ZWikiPageSummarySchema.extend({ body: z.string() });

export type TWikiPage = z.infer<typeof ZWikiPageSchema>;

export const ZDeleteWikiPageRequestSchema = ZWikiSlugInputSchema;

export const ZDeleteWikiPageResponseSchema = z.void();

export const ZGetWikiPageRequestSchema = ZWikiSlugInputSchema;

export const ZGetWikiPageResponseSchema = ZWikiPageSchema;

export const ZListWikiPagesRequestSchema = z
  .object({
    limit: ZPageLimit,
    cursor: ZPageCursor,
  })
  .default({ limit: 20 });

export type TListWikiPagesRequest = z.infer<typeof ZListWikiPagesRequestSchema>;

export const ZListWikiPagesResponseSchema = ZPage(ZWikiPageSummarySchema);

export const ZPutWikiPageRequestSchema = z.object({
  slug: ZWikiSlugSchema,
  title: z.string().trim().min(1, { error: 'Title is required' }).max(200),
  body: z.string().max(MAX_WIKI_BODY_LENGTH).default('').describe('Markdown'),
});

export type TPutWikiPageRequest = z.infer<typeof ZPutWikiPageRequestSchema>;

export const ZPutWikiPageResponseSchema = ZWikiPageSchema;
