import { ZListRepositoriesRequestSchema, ZListRepositoriesResponseSchema } from '@tollgate/domain';
import { listRepositories } from '../../core/repositories.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { listRepositoriesMeta } from './repositories.types.ts';

export const listRepositoriesProcedure = protectedProcedure
  .meta(listRepositoriesMeta)
  .input(ZListRepositoriesRequestSchema)
  .output(ZListRepositoriesResponseSchema)
  .query(({ ctx, input }) => listRepositories(ctx.services, ctx.principal, input));
