import { putWikiPage } from '../../core/wiki.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { putWikiPageMeta, ZPutWikiPageRequestSchema, ZPutWikiPageResponseSchema } from './put.types.ts';

export const putWikiPageProcedure = protectedProcedure
  .meta(putWikiPageMeta)
  .input(ZPutWikiPageRequestSchema)
  .output(ZPutWikiPageResponseSchema)
  .mutation(({ ctx, input }) => putWikiPage(ctx.services, ctx.principal, input, { request: ctx.request }));
