import { ZAddMemberOutputSchema } from '@tollgate/domain';
import { addMember } from '../../core/members.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { addMemberMeta, ZAddMemberInputSchema } from './members.types.ts';

export const addMemberProcedure = protectedProcedure
  .meta(addMemberMeta)
  .input(ZAddMemberInputSchema)
  .output(ZAddMemberOutputSchema)
  .mutation(({ ctx, input }) =>
    addMember(
      ctx.services,
      ctx.principal,
      { organizationId: ctx.organizationId, ...input },
      { request: ctx.request },
    ),
  );
