import { resolvePolicy, TollgateError } from '@tollgate/domain';
import type { Services } from '../services.ts';
import type { SessionPrincipal } from './principal.ts';

/**
 * Refuses a session-cookie call to the REST facade when the session's organisation allows only tokens there
 * (§5 `apiAccess: tokens_only`), read from the organisation cache; only cookie calls through /api/v1 get here
 * (tRPC calls of the web app and every Bearer-token call never do).
 */
export async function assertSessionAllowedOnRest(
  services: Pick<Services, 'organizations'>,
  session: Pick<SessionPrincipal, 'organizationId'>,
): Promise<void> {
  // A session acting in no organisation is refused by the chain right after (FORBIDDEN).
  if (session.organizationId === null) return;
  const organization = await services.organizations.get(session.organizationId);
  if (organization && resolvePolicy(organization.policy).apiAccess === 'tokens_only') {
    throw new TollgateError('SESSIONS_NOT_ALLOWED');
  }
}
