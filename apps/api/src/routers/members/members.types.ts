import { ZRole } from '@tollgate/domain';
import { z } from 'zod';
import { ZEmail } from '../../core/organizations.ts';
import type { ProcedureMeta } from '../../trpc/init.ts';

/** An existing user, by email, with the role to give them. */
export const ZAddMemberInputSchema = z.object({ email: ZEmail, role: ZRole });

export type TAddMemberInput = z.infer<typeof ZAddMemberInputSchema>;

export const addMemberMeta = {
  scope: 'team:write',
  rest: {
    method: 'POST',
    path: '/team',
    summary: 'Add an existing user to the organisation with a role',
    tags: ['Team'],
    successStatus: 201,
  },
} satisfies ProcedureMeta;

export const changeMemberRoleMeta = {
  scope: 'team:write',
  rest: {
    method: 'PATCH',
    path: '/team/{userId}',
    summary: "Change a member's role (their personal tokens follow at once)",
    tags: ['Team'],
  },
} satisfies ProcedureMeta;

export const listMembersMeta = {
  scope: 'team:read',
  rest: { method: 'GET', path: '/team', summary: 'List the members of the organisation', tags: ['Team'] },
} satisfies ProcedureMeta;

export const removeMemberMeta = {
  scope: 'team:write',
  rest: {
    method: 'DELETE',
    path: '/team/{userId}',
    summary: 'Remove a member (their personal tokens stop working at once)',
    tags: ['Team'],
  },
} satisfies ProcedureMeta;
