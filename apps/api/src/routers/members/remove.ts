import { ZRemoveMemberInputSchema, ZRemoveMemberOutputSchema } from '@tollgate/domain';
import { removeMember } from '../../core/members.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { removeMemberMeta } from './members.types.ts';

export const removeMemberProcedure = protectedProcedure
  .meta(removeMemberMeta)
  .input(ZRemoveMemberInputSchema)
  .output(ZRemoveMemberOutputSchema)
  .mutation(({ ctx, input }) =>
    removeMember(
      ctx.services,
      ctx.principal,
      { organizationId: ctx.organizationId, ...input },
      { request: ctx.request },
    ),
  );
