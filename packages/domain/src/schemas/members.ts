import { z } from 'zod';
import { ZId } from '../id/ids.ts';
import { ZRole } from '../role/roles.ts';
import { ZPage, ZPageCursor, ZPageLimit } from './page.ts';

export const ZMemberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: ZRole,
  joinedAt: z.string(),
});

export const ZAddMemberOutputSchema = ZMemberSchema;

export const ZChangeMemberRoleInputSchema = z.object({ userId: ZId('user'), role: ZRole });

export type TChangeMemberRoleInput = z.infer<typeof ZChangeMemberRoleInputSchema>;

export const ZChangeMemberRoleOutputSchema = ZMemberSchema;

export type TMember = z.infer<typeof ZMemberSchema>;

export const ZListMembersInputSchema = z
  .object({
    limit: ZPageLimit,
    cursor: ZPageCursor,
  })
  .default({ limit: 20 });

export type TListMembersInput = z.infer<typeof ZListMembersInputSchema>;

export const ZListMembersOutputSchema = ZPage(ZMemberSchema);

export const ZRemoveMemberInputSchema = z.object({ userId: ZId('user') });

export type TRemoveMemberInput = z.infer<typeof ZRemoveMemberInputSchema>;

/** The membership as it was before removal. */
export const ZRemoveMemberOutputSchema = ZMemberSchema;
