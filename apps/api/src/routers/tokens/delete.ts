import { deleteToken } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { deleteTokenMeta, ZDeleteTokenRequestSchema, ZDeleteTokenResponseSchema } from './delete.types.ts';

export const deleteTokenProcedure = protectedProcedure
  .meta(deleteTokenMeta)
  .input(ZDeleteTokenRequestSchema)
  .output(ZDeleteTokenResponseSchema)
  .mutation(({ ctx, input }) => deleteToken(ctx.services, ctx.principal, input, { request: ctx.request }));
