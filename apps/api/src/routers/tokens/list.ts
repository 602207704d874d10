import { ZListTokensRequestSchema, ZListTokensResponseSchema } from '@tollgate/domain';
import { listTokens } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { listTokensMeta } from './tokens.types.ts';

export const listTokensProcedure = protectedProcedure
  .meta(listTokensMeta)
  .input(ZListTokensRequestSchema)
  .output(ZListTokensResponseSchema)
  .query(({ ctx, input }) => listTokens(ctx.services, ctx.principal, input));
