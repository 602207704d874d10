import { ZUpdateRepositoryRequestSchema, ZUpdateRepositoryResponseSchema } from '@tollgate/domain';
import { updateRepository } from '../../core/repositories.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { updateRepositoryMeta } from './repositories.types.ts';

export const updateRepositoryProcedure = protectedProcedure
  .meta(updateRepositoryMeta)
  .input(ZUpdateRepositoryRequestSchema)
  .output(ZUpdateRepositoryResponseSchema)
  .mutation(({ ctx, input }) =>
    updateRepository(ctx.services, ctx.principal, input, { request: ctx.request }),
  );
