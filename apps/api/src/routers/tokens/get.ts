import { ZGetTokenRequestSchema, ZGetTokenResponseSchema } from '@tollgate/domain';
import { getTokenDetail } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { getTokenMeta } from './tokens.types.ts';

export const getTokenProcedure = protectedProcedure
  .meta(getTokenMeta)
  .input(ZGetTokenRequestSchema)
  .output(ZGetTokenResponseSchema)
  .query(({ ctx, input }) => getTokenDetail(ctx.services, ctx.principal, input));
