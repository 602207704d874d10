import { ZGetOrganizationOutputSchema } from '@tollgate/domain';
import { getOrganization } from '../../core/organizations.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { getOrganizationMeta } from './organization.types.ts';

export const getOrganizationProcedure = protectedProcedure
  .meta(getOrganizationMeta)
  .output(ZGetOrganizationOutputSchema)
  .query(({ ctx }) => getOrganization(ctx.services, ctx.principal, { organizationId: ctx.organizationId }));
