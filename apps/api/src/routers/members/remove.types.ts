import { ZId } from '@tollgate/domain';
import { z } from 'zod';
import { ZMemberSchema } from './list.types.ts';

export const ZRemoveMemberInputSchema = z.object({ userId: ZId('user') });
export type TRemoveMemberInput = z.infer<typeof ZRemoveMemberInputSchema>;

/** The membership as it was before removal. */
export const ZRemoveMemberOutputSchema = ZMemberSchema;
