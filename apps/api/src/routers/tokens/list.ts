import { listTokens } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { listTokensMeta, ZListTokensRequestSchema, ZListTokensResponseSchema } from './list.types.ts';

export const listTokensProcedure = protectedProcedure
  .meta(listTokensMeta)
  .input(ZListTokensRequestSchema)
  .output(ZListTokensResponseSchema)
  .query(({ ctx, input }) => listTokens(ctx.services, ctx.principal, input));
