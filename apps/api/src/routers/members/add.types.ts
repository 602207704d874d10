import { ZRole } from '@tollgate/domain';
import { z } from 'zod';
import { ZEmail } from '../../core/organizations.ts';
import { ZMemberSchema } from './list.types.ts';

/** An existing user, by email, with the role to give them. */
export const ZAddMemberInputSchema = z.object({ email: ZEmail, role: ZRole });
export type TAddMemberInput = z.infer<typeof ZAddMemberInputSchema>;

export const ZAddMemberOutputSchema = ZMemberSchema;
