import { ZPutWikiPageRequestSchema, ZPutWikiPageResponseSchema } from '@tollgate/domain';
import { putWikiPage } from '../../core/wiki.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { putWikiPageMeta } from './wiki.types.ts';

export const putWikiPageProcedure = protectedProcedure
  .meta(putWikiPageMeta)
  .input(ZPutWikiPageRequestSchema)
  .output(ZPutWikiPageResponseSchema)
  .mutation(({ ctx, input }) => putWikiPage(ctx.services, ctx.principal, input, { request: ctx.request }));
