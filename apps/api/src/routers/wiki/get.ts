import { ZGetWikiPageRequestSchema, ZGetWikiPageResponseSchema } from '@tollgate/domain';
import { getWikiPage } from '../../core/wiki.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { getWikiPageMeta } from './wiki.types.ts';

export const getWikiPageProcedure = protectedProcedure
  .meta(getWikiPageMeta)
  .input(ZGetWikiPageRequestSchema)
  .output(ZGetWikiPageResponseSchema)
  .query(({ ctx, input }) => getWikiPage(ctx.services, ctx.principal, input));
