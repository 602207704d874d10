import { ZChangeMemberRoleInputSchema, ZChangeMemberRoleOutputSchema } from '@tollgate/domain';
import { changeMemberRole } from '../../core/members.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { changeMemberRoleMeta } from './members.types.ts';

export const changeMemberRoleProcedure = protectedProcedure
  .meta(changeMemberRoleMeta)
  .input(ZChangeMemberRoleInputSchema)
  .output(ZChangeMemberRoleOutputSchema)
  .mutation(({ ctx, input }) =>
    changeMemberRole(
      ctx.services,
      ctx.principal,
      { organizationId: ctx.organizationId, ...input },
      { request: ctx.request },
    ),
  );
