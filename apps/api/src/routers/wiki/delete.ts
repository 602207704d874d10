import { deleteWikiPage } from '../../core/wiki.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import {
  deleteWikiPageMeta,
  ZDeleteWikiPageRequestSchema,
  ZDeleteWikiPageResponseSchema,
} from './delete.types.ts';

export const deleteWikiPageProcedure = protectedProcedure
  .meta(deleteWikiPageMeta)
  .input(ZDeleteWikiPageRequestSchema)
  .output(ZDeleteWikiPageResponseSchema)
  .mutation(({ ctx, input }) => deleteWikiPage(ctx.services, ctx.principal, input, { request: ctx.request }));
