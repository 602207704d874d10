import { ZListMembersInputSchema, ZListMembersOutputSchema } from '@tollgate/domain';
import { listMembers } from '../../core/members.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { listMembersMeta } from './members.types.ts';

export const listMembersProcedure = protectedProcedure
  .meta(listMembersMeta)
  .input(ZListMembersInputSchema)
  .output(ZListMembersOutputSchema)
  .query(({ ctx, input }) =>
    listMembers(ctx.services, ctx.principal, { organizationId: ctx.organizationId, ...input }),
  );
