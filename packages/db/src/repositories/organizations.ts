import { sql } from 'kysely';
import {
  jsonb,
  type NewOrganization,
  type OrganizationRow,
  type OrganizationUpdate,
} from '../tables/index.ts';
import type { Executor } from './executor.ts';

export async function insertOrganization(
  db: Executor,
  organization: NewOrganization,
): Promise<OrganizationRow> {
  return db
    .insertInto('organizations')
    .values({ ...organization, policy: organization.policy && jsonb(organization.policy) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findOrganizationById(db: Executor, id: string): Promise<OrganizationRow | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOrganizationBySlug(
  db: Executor,
  slug: string,
): Promise<OrganizationRow | undefined> {
  return db.selectFrom('organizations').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Applies the changes and bumps updatedAt; undefined when there is no such organisation. */
export async function updateOrganization(
  db: Executor,
  id: string,
  changes: OrganizationUpdate,
): Promise<OrganizationRow | undefined> {
  return db
    .updateTable('organizations')
    .set({
      updatedAt: sql<Date>`now()`,
      ...changes,
      policy: changes.policy && jsonb(changes.policy),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Locks the organisation row until the transaction ends, so that changes to its members are serialised:
 * two owners demoting each other at once cannot both pass the "last owner" check. undefined when absent.
 */
export async function lockOrganization(db: Executor, id: string): Promise<OrganizationRow | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Whether any organisation exists: the demo seed runs only on an empty database. */
export async function hasAnyOrganization(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

export interface OrganizationCounts {
  repositories: number;
  members: number;
  /** Tokens that would be accepted at `now`: not revoked, active, not expired. */
  activeTokens: number;
  creditBalance: number;
}

/** The numbers of the organisation's stats page that are not about reviews or usage, in one round trip. */
export async function organizationCounts(
  db: Executor,
  organizationId: string,
  now: Date,
): Promise<OrganizationCounts | undefined> {
  const row = await db
    .selectFrom('organizations as o')
    .select((eb) => [
      'o.creditBalance',
      eb
        .selectFrom('repositories')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('organizationId', '=', organizationId)
        .as('repositories'),
      eb
        .selectFrom('memberships')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('organizationId', '=', organizationId)
        .as('members'),
      eb
        .selectFrom('tokens')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('organizationId', '=', organizationId)
        .where('revokedAt', 'is', null)
        .where('active', '=', true)
        .where((w) => w.or([w('expiresAt', 'is', null), w('expiresAt', '>', now)]))
        .as('activeTokens'),
    ])
    .where('o.id', '=', organizationId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    repositories: Number(row.repositories ?? 0),
    members: Number(row.members ?? 0),
    activeTokens: Number(row.activeTokens ?? 0),
    creditBalance: Number(row.creditBalance),
  };
}
