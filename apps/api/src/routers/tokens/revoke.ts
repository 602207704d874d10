import { ZRevokeTokenRequestSchema, ZRevokeTokenResponseSchema } from '@tollgate/domain';
import { revokeToken } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { revokeTokenMeta } from './tokens.types.ts';

export const revokeTokenProcedure = protectedProcedure
  .meta(revokeTokenMeta)
  .input(ZRevokeTokenRequestSchema)
  .output(ZRevokeTokenResponseSchema)
  .mutation(({ ctx, input }) => revokeToken(ctx.services, ctx.principal, input, { request: ctx.request }));
