import { ZId, ZRole } from '@tollgate/domain';
import { z } from 'zod';
import { ZMemberSchema } from './list.types.ts';

export const ZChangeMemberRoleInputSchema = z.object({ userId: ZId('user'), role: ZRole });
export type TChangeMemberRoleInput = z.infer<typeof ZChangeMemberRoleInputSchema>;

export const ZChangeMemberRoleOutputSchema = ZMemberSchema;
