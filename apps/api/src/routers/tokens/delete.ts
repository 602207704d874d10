import { ZDeleteTokenRequestSchema, ZDeleteTokenResponseSchema } from '@tollgate/domain';
import { deleteToken } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { deleteTokenMeta } from './tokens.types.ts';

export const deleteTokenProcedure = protectedProcedure
  .meta(deleteTokenMeta)
  .input(ZDeleteTokenRequestSchema)
  .output(ZDeleteTokenResponseSchema)
  .mutation(({ ctx, input }) => deleteToken(ctx.services, ctx.principal, input, { request: ctx.request }));
