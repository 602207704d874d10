import { z } from 'zod';
import { ZId } from '../id/ids.ts';
import { ZRole } from '../role/roles.ts';
import { ZScope } from '../scope/catalogue.ts';

/** What the web app learns about its signed-in user: from login, me and switchOrganization alike. */
export const ZSessionViewSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  organizations: z.array(z.object({ id: z.string(), name: z.string(), slug: z.string(), role: ZRole })),
  /** The organisation the session acts in; null when the user belongs to none. */
  currentOrganizationId: z.string().nullable(),
  /** The user's role there, and the scopes that role allows (a session acts with its role ceiling, §2). */
  role: ZRole.nullable(),
  scopes: z.array(ZScope),
  /** Send it as the X-CSRF-Token header of every mutation made with the session cookie. */
  csrfToken: z.string(),
});

export type TSessionView = z.infer<typeof ZSessionViewSchema>;

export const ZLoginOutputSchema = ZSessionViewSchema;

export const ZLogoutOutputSchema = z.object({ signedOut: z.literal(true) });

export type TLogoutOutput = z.infer<typeof ZLogoutOutputSchema>;

export const ZMeOutputSchema = ZSessionViewSchema;

export const ZSwitchOrganizationInputSchema = z.object({ organizationId: ZId('organization') });

export type TSwitchOrganizationInput = z.infer<typeof ZSwitchOrganizationInputSchema>;

export const ZSwitchOrganizationOutputSchema = ZSessionViewSchema;
