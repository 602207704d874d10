import { selfRotateToken } from '../../core/token-self-rotate.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import {
  selfRotateTokenMeta,
  ZSelfRotateTokenRequestSchema,
  ZSelfRotateTokenResponseSchema,
} from './self-rotate.types.ts';

export const selfRotateTokenProcedure = protectedProcedure
  .meta(selfRotateTokenMeta)
  .input(ZSelfRotateTokenRequestSchema)
  .output(ZSelfRotateTokenResponseSchema)
  .mutation(({ ctx, input }) =>
    selfRotateToken(ctx.services, ctx.principal, input, { request: ctx.request }),
  );
