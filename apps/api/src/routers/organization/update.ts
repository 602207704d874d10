import { ZUpdateOrganizationOutputSchema } from '@tollgate/domain';
import { updateOrganization } from '../../core/organizations.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { updateOrganizationMeta, ZUpdateOrganizationInputSchema } from './organization.types.ts';

export const updateOrganizationProcedure = protectedProcedure
  .meta(updateOrganizationMeta)
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
