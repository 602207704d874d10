import { z } from 'zod';
import { PASSWORD_MAX_LENGTH } from '../../auth/password.ts';

/**
 * The credentials of auth.login. Not a domain schema: its bound is the api's password policy
 * (auth/password.ts). The other auth schemas are the domain's (packages/domain/src/schemas/auth.ts).
 */
export const ZLoginInputSchema = z.object({
  email: z.string().trim().min(1, { error: 'Email is required' }).max(320),
  // No minimum here: a wrong password of any length gets the same answer as any other wrong password.
  password: z.string().min(1, { error: 'Password is required' }).max(PASSWORD_MAX_LENGTH),
  /** Start in this organisation (one of the user's); otherwise the oldest membership. */
  organizationSlug: z.string().min(1).max(49).optional(),
});

export type TLoginInput = z.infer<typeof ZLoginInputSchema>;
