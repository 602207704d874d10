import { ZOrganizationStatsResponseSchema } from '@tollgate/domain';
import { getOrganizationStats } from '../../core/organization-stats.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { organizationStatsMeta } from './organization.types.ts';

export const organizationStatsProcedure = protectedProcedure
  .meta(organizationStatsMeta)
  .output(ZOrganizationStatsResponseSchema)
  .query(({ ctx }) => getOrganizationStats(ctx.services, ctx.principal));
