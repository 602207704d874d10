import { findUserById, listMembershipsForUser } from '@tollgate/db';
import { roleCeiling, TollgateError, type TSessionView } from '@tollgate/domain';
import type { Services } from '../services.ts';

/** The session as the web app sees it, read fresh from the database (user, memberships, current role). */
export async function describeSession(
  services: Services,
  input: { userId: string; currentOrganizationId: string | null; csrfToken: string },
): Promise<TSessionView> {
  const [user, memberships] = await Promise.all([
    findUserById(services.db, input.userId),
    listMembershipsForUser(services.db, input.userId),
  ]);
  if (!user) throw new TollgateError('MISSING_TOKEN', 'Sign in first.');
  const current = memberships.find((membership) => membership.organizationId === input.currentOrganizationId);
  return {
    user: { id: user.id, email: user.email, name: user.name },
    organizations: memberships.map((membership) => ({
      id: membership.organizationId,
      name: membership.organizationName,
      slug: membership.organizationSlug,
      role: membership.role,
    })),
    currentOrganizationId: current?.organizationId ?? null,
    role: current?.role ?? null,
    scopes: current ? [...roleCeiling(current.role)] : [],
    csrfToken: input.csrfToken,
  };
}
