import { getOrganizationStats } from '../../core/organization-stats.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { organizationStatsMeta, ZOrganizationStatsResponseSchema } from './stats.types.ts';

export const stats = protectedProcedure
  .meta(organizationStatsMeta)
  .output(ZOrganizationStatsResponseSchema)
  .query(({ ctx }) => getOrganizationStats(ctx.services, ctx.principal));
