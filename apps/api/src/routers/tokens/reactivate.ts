import { ZReactivateTokenRequestSchema, ZReactivateTokenResponseSchema } from '@tollgate/domain';
import { setTokenActive } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { reactivateTokenMeta } from './tokens.types.ts';

export const reactivateTokenProcedure = protectedProcedure
  .meta(reactivateTokenMeta)
  .input(ZReactivateTokenRequestSchema)
  .output(ZReactivateTokenResponseSchema)
  .mutation(({ ctx, input }) =>
    setTokenActive(ctx.services, ctx.principal, { id: input.id, active: true }, { request: ctx.request }),
  );
