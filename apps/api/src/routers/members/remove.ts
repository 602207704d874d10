import { removeMember } from '../../core/members.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { ZRemoveMemberInputSchema, ZRemoveMemberOutputSchema } from './remove.types.ts';

export const remove = protectedProcedure
  .meta({
    scope: 'team:write',
    rest: {
      method: 'DELETE',
      path: '/team/{userId}',
      summary: 'Remove a member (their personal tokens stop working at once)',
      tags: ['Team'],
    },
  })
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
