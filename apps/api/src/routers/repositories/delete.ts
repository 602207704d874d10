import { deleteRepository } from '../../core/repositories.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import {
  deleteRepositoryMeta,
  ZDeleteRepositoryRequestSchema,
  ZDeleteRepositoryResponseSchema,
} from './delete.types.ts';

export const deleteRepositoryProcedure = protectedProcedure
  .meta(deleteRepositoryMeta)
  .input(ZDeleteRepositoryRequestSchema)
  .output(ZDeleteRepositoryResponseSchema)
  .mutation(({ ctx, input }) =>
    deleteRepository(ctx.services, ctx.principal, input, { request: ctx.request }),
  );
