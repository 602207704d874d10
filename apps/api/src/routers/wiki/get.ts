import { getWikiPage } from '../../core/wiki.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { getWikiPageMeta, ZGetWikiPageRequestSchema, ZGetWikiPageResponseSchema } from './get.types.ts';

export const getWikiPageProcedure = protectedProcedure
  .meta(getWikiPageMeta)
  .input(ZGetWikiPageRequestSchema)
  .output(ZGetWikiPageResponseSchema)
  .query(({ ctx, input }) => getWikiPage(ctx.services, ctx.principal, input));
