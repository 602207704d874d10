import { listMembers } from '../../core/members.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { ZListMembersInputSchema, ZListMembersOutputSchema } from './list.types.ts';

export const list = protectedProcedure
  .meta({
    scope: 'team:read',
    rest: { method: 'GET', path: '/team', summary: 'List the members of the organisation', tags: ['Team'] },
  })
  .input(ZListMembersInputSchema)
  .output(ZListMembersOutputSchema)
  .query(({ ctx, input }) =>
    listMembers(ctx.services, ctx.principal, { organizationId: ctx.organizationId, ...input }),
  );
