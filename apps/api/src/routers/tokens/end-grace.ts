import { endRotationGrace } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { endGraceMeta, ZEndGraceRequestSchema, ZEndGraceResponseSchema } from './end-grace.types.ts';

export const endGraceProcedure = protectedProcedure
  .meta(endGraceMeta)
  .input(ZEndGraceRequestSchema)
  .output(ZEndGraceResponseSchema)
  .mutation(({ ctx, input }) =>
    endRotationGrace(ctx.services, ctx.principal, input, { request: ctx.request }),
  );
