import { ZUpdateTokenRequestSchema, ZUpdateTokenResponseSchema } from '@tollgate/domain';
import { updateToken } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { updateTokenMeta } from './tokens.types.ts';

export const updateTokenProcedure = protectedProcedure
  .meta(updateTokenMeta)
  .input(ZUpdateTokenRequestSchema)
  .output(ZUpdateTokenResponseSchema)
  .mutation(({ ctx, input }) => updateToken(ctx.services, ctx.principal, input, { request: ctx.request }));
