import { ZEndGraceRequestSchema, ZEndGraceResponseSchema } from '@tollgate/domain';
import { endRotationGrace } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { endGraceMeta } from './tokens.types.ts';

export const endGraceProcedure = protectedProcedure
  .meta(endGraceMeta)
  .input(ZEndGraceRequestSchema)
  .output(ZEndGraceResponseSchema)
  .mutation(({ ctx, input }) =>
    endRotationGrace(ctx.services, ctx.principal, input, { request: ctx.request }),
  );
