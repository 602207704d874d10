import { ZDeleteWikiPageRequestSchema, ZDeleteWikiPageResponseSchema } from '@tollgate/domain';
import { deleteWikiPage } from '../../core/wiki.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { deleteWikiPageMeta } from './wiki.types.ts';

export const deleteWikiPageProcedure = protectedProcedure
  .meta(deleteWikiPageMeta)
  .input(ZDeleteWikiPageRequestSchema)
  .output(ZDeleteWikiPageResponseSchema)
  .mutation(({ ctx, input }) => deleteWikiPage(ctx.services, ctx.principal, input, { request: ctx.request }));
