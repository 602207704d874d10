import { ZGetTokenRequestSchema, ZGetTokenResponseSchema } from '@tollgate/domain';
import { getToken } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { getTokenMeta } from './tokens.types.ts';

export const getTokenProcedure = protectedProcedure
  .meta(getTokenMeta)
  .input(ZGetTokenRequestSchema)
  .output(ZGetTokenResponseSchema)
  .query(({ ctx, input }) => getToken(ctx.services, ctx.principal, input));
