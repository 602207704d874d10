import { getTokenDetail } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { getTokenMeta, ZGetTokenRequestSchema, ZGetTokenResponseSchema } from './get.types.ts';

export const getTokenProcedure = protectedProcedure
  .meta(getTokenMeta)
  .input(ZGetTokenRequestSchema)
  .output(ZGetTokenResponseSchema)
  .query(({ ctx, input }) => getTokenDetail(ctx.services, ctx.principal, input));
