import { createToken } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { createTokenMeta, ZCreateTokenRequestSchema, ZCreateTokenResponseSchema } from './create.types.ts';

export const createTokenProcedure = protectedProcedure
  .meta(createTokenMeta)
  .input(ZCreateTokenRequestSchema)
  .output(ZCreateTokenResponseSchema)
  .mutation(({ ctx, input }) => createToken(ctx.services, ctx.principal, input, { request: ctx.request }));
