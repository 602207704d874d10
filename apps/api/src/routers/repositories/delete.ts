import { ZDeleteRepositoryRequestSchema, ZDeleteRepositoryResponseSchema } from '@tollgate/domain';
import { deleteRepository } from '../../core/repositories.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { deleteRepositoryMeta } from './repositories.types.ts';

export const deleteRepositoryProcedure = protectedProcedure
  .meta(deleteRepositoryMeta)
  .input(ZDeleteRepositoryRequestSchema)
  .output(ZDeleteRepositoryResponseSchema)
  .mutation(({ ctx, input }) =>
    deleteRepository(ctx.services, ctx.principal, input, { request: ctx.request }),
  );
