import { ZCreateRepositoryRequestSchema, ZCreateRepositoryResponseSchema } from '@tollgate/domain';
import { createRepository } from '../../core/repositories.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { createRepositoryMeta } from './repositories.types.ts';

export const createRepositoryProcedure = protectedProcedure
  .meta(createRepositoryMeta)
  .input(ZCreateRepositoryRequestSchema)
  .output(ZCreateRepositoryResponseSchema)
  .mutation(({ ctx, input }) =>
    createRepository(ctx.services, ctx.principal, input, { request: ctx.request }),
  );
