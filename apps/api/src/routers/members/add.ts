import { addMember } from '../../core/members.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { ZAddMemberInputSchema, ZAddMemberOutputSchema } from './add.types.ts';

export const add = protectedProcedure
  .meta({
    scope: 'team:write',
    rest: {
      method: 'POST',
      path: '/team',
      summary: 'Add an existing user to the organisation with a role',
      tags: ['Team'],
      successStatus: 201,
    },
  })
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
