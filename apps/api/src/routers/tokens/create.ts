import { ZCreateTokenRequestSchema, ZCreateTokenResponseSchema } from '@tollgate/domain';
import { createToken } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { createTokenMeta } from './tokens.types.ts';

export const createTokenProcedure = protectedProcedure
  .meta(createTokenMeta)
  .input(ZCreateTokenRequestSchema)
  .output(ZCreateTokenResponseSchema)
  .mutation(({ ctx, input }) => createToken(ctx.services, ctx.principal, input, { request: ctx.request }));
