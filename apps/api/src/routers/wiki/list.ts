import { listWikiPages } from '../../core/wiki.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import {
  listWikiPagesMeta,
  ZListWikiPagesRequestSchema,
  ZListWikiPagesResponseSchema,
} from './list.types.ts';

export const listWikiPagesProcedure = protectedProcedure
  .meta(listWikiPagesMeta)
  .input(ZListWikiPagesRequestSchema)
  .output(ZListWikiPagesResponseSchema)
  .query(({ ctx, input }) => listWikiPages(ctx.services, ctx.principal, input));
