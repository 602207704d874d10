import { z } from 'zod';
import { ZId } from '../id/ids.ts';
import { ZRole } from '../role/roles.ts';

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
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(500).optional(),
  })
  .default({ limit: 20 });

export type TListMembersInput = z.infer<typeof ZListMembersInputSchema>;

export const ZListMembersOutputSchema = z.object({
  data: z.array(ZMemberSchema),
  nextCursor: z.string().nullable(),
});

export const ZRemoveMemberInputSchema = z.object({ userId: ZId('user') });

export type TRemoveMemberInput = z.infer<typeof ZRemoveMemberInputSchema>;

/** The membership as it was before removal. */
export const ZRemoveMemberOutputSchema = ZMemberSchema;
