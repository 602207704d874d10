import { changeMemberRole } from '../../core/members.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { ZChangeMemberRoleInputSchema, ZChangeMemberRoleOutputSchema } from './change-role.types.ts';

export const changeRole = protectedProcedure
  .meta({
    scope: 'team:write',
    rest: {
      method: 'PATCH',
      path: '/team/{userId}',
      summary: "Change a member's role (their personal tokens follow at once)",
      tags: ['Team'],
    },
  })
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
