import { ZGetOrganizationOutputSchema } from '@tollgate/domain';
import { getOrganization } from '../../core/organizations.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';

export const get = protectedProcedure
  .meta({
    scope: 'organization:read',
    rest: {
      method: 'GET',
      path: '/organization',
      summary: 'Get the organisation, its token policy and its rate limits',
      tags: ['Organization'],
    },
  })
  .output(ZGetOrganizationOutputSchema)
  .query(({ ctx }) => getOrganization(ctx.services, ctx.principal, { organizationId: ctx.organizationId }));
