import { ZSelfRotateTokenRequestSchema, ZSelfRotateTokenResponseSchema } from '@tollgate/domain';
import { selfRotateToken } from '../../core/token-self-rotate.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { selfRotateTokenMeta } from './tokens.types.ts';

export const selfRotateTokenProcedure = protectedProcedure
  .meta(selfRotateTokenMeta)
  .input(ZSelfRotateTokenRequestSchema)
  .output(ZSelfRotateTokenResponseSchema)
  .mutation(({ ctx, input }) =>
    selfRotateToken(ctx.services, ctx.principal, input, { request: ctx.request }),
  );
