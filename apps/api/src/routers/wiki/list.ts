import { ZListWikiPagesRequestSchema, ZListWikiPagesResponseSchema } from '@tollgate/domain';
import { listWikiPages } from '../../core/wiki.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { listWikiPagesMeta } from './wiki.types.ts';

export const listWikiPagesProcedure = protectedProcedure
  .meta(listWikiPagesMeta)
  .input(ZListWikiPagesRequestSchema)
  .output(ZListWikiPagesResponseSchema)
  .query(({ ctx, input }) => listWikiPages(ctx.services, ctx.principal, input));
