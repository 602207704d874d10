import { findOrganizationById } from '@tollgate/db';
import { resolvePolicy, TollgateError } from '@tollgate/domain';
import type { Services } from '../services.ts';
import type { SessionPrincipal } from './principal.ts';

/**
 * Refuses a session-cookie call to the REST facade when the session's organisation allows only tokens there
 * (§5 `apiAccess: tokens_only`). One query, and only for cookie calls through /api/v1: tRPC calls of the web
 * app and every Bearer-token call never get here.
 */
export async function assertSessionAllowedOnRest(
  services: Pick<Services, 'db'>,
  session: Pick<SessionPrincipal, 'organizationId'>,
): Promise<void> {
  // A session acting in no organisation is refused by the chain right after (FORBIDDEN).
  if (session.organizationId === null) return;
  const organization = await findOrganizationById(services.db, session.organizationId);
  if (organization && resolvePolicy(organization.policy).apiAccess === 'tokens_only') {
    throw new TollgateError('SESSIONS_NOT_ALLOWED');
  }
}
