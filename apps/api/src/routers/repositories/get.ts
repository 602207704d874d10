import { ZGetRepositoryRequestSchema, ZGetRepositoryResponseSchema } from '@tollgate/domain';
import { getRepository } from '../../core/repositories.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { getRepositoryMeta } from './repositories.types.ts';

export const getRepositoryProcedure = protectedProcedure
  .meta(getRepositoryMeta)
  .input(ZGetRepositoryRequestSchema)
  .output(ZGetRepositoryResponseSchema)
  .query(({ ctx, input }) => getRepository(ctx.services, ctx.principal, input));
