import { getRepository } from '../../core/repositories.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { getRepositoryMeta, ZGetRepositoryRequestSchema, ZGetRepositoryResponseSchema } from './get.types.ts';

export const getRepositoryProcedure = protectedProcedure
  .meta(getRepositoryMeta)
  .input(ZGetRepositoryRequestSchema)
  .output(ZGetRepositoryResponseSchema)
  .query(({ ctx, input }) => getRepository(ctx.services, ctx.principal, input));
