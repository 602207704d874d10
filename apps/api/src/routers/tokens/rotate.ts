import { ZRotateTokenRequestSchema, ZRotateTokenResponseSchema } from '@tollgate/domain';
import { rotateToken } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { rotateTokenMeta } from './tokens.types.ts';

export const rotateTokenProcedure = protectedProcedure
  .meta(rotateTokenMeta)
  .input(ZRotateTokenRequestSchema)
  .output(ZRotateTokenResponseSchema)
  .mutation(({ ctx, input }) => rotateToken(ctx.services, ctx.principal, input, { request: ctx.request }));
