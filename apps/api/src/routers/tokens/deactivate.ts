import { ZDeactivateTokenRequestSchema, ZDeactivateTokenResponseSchema } from '@tollgate/domain';
import { setTokenActive } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { deactivateTokenMeta } from './tokens.types.ts';

export const deactivateTokenProcedure = protectedProcedure
  .meta(deactivateTokenMeta)
  .input(ZDeactivateTokenRequestSchema)
  .output(ZDeactivateTokenResponseSchema)
  .mutation(({ ctx, input }) =>
    setTokenActive(ctx.services, ctx.principal, { id: input.id, active: false }, { request: ctx.request }),
  );
