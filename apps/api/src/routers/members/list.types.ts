import { ZRole } from '@tollgate/domain';
import { z } from 'zod';

export const ZMemberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: ZRole,
  joinedAt: z.string(),
});
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
