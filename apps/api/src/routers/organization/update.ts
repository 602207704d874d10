import { ZUpdateOrganizationOutputSchema } from '@tollgate/domain';
import { updateOrganization } from '../../core/organizations.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { ZUpdateOrganizationInputSchema } from './organization.types.ts';

export const update = protectedProcedure
  .meta({
    scope: 'organization:write',
    rest: {
      method: 'PATCH',
      path: '/organization',
      summary: 'Rename the organisation or change its token policy',
      tags: ['Organization'],
    },
  })
  .input(ZUpdateOrganizationInputSchema)
  .output(ZUpdateOrganizationOutputSchema)
  .mutation(({ ctx, input }) =>
    updateOrganization(
      ctx.services,
      ctx.principal,
      { ...input, organizationId: ctx.organizationId },
      { request: ctx.request },
    ),
  );
