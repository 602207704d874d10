import { sql } from 'kysely';
import type { MembershipRole, MembershipRow, NewMembership, OrganizationTier } from '../tables/index.ts';
import type { Executor } from './executor.ts';

export interface MembershipWithOrganization extends MembershipRow {
  organizationName: string;
  organizationSlug: string;
  organizationTier: OrganizationTier;
}

export interface MembershipWithUser extends MembershipRow {
  userEmail: string;
  userName: string;
}

export async function insertMembership(db: Executor, membership: NewMembership): Promise<MembershipRow> {
  return db.insertInto('memberships').values(membership).returningAll().executeTakeFirstOrThrow();
}

export async function findMembership(
  db: Executor,
  organizationId: string,
  userId: string,
): Promise<MembershipRow | undefined> {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('userId', '=', userId)
    .executeTakeFirst();
}

/** The organisations a user belongs to, oldest membership first. */
export async function listMembershipsForUser(
  db: Executor,
  userId: string,
): Promise<MembershipWithOrganization[]> {
  return db
    .selectFrom('memberships as m')
    .innerJoin('organizations as o', 'o.id', 'm.organizationId')
    .selectAll('m')
    .select(['o.name as organizationName', 'o.slug as organizationSlug', 'o.tier as organizationTier'])
    .where('m.userId', '=', userId)
    .orderBy('m.createdAt')
    .orderBy('m.organizationId')
    .execute();
}

/** The members of an organisation, oldest first. */
export async function listMembersOfOrganization(
  db: Executor,
  organizationId: string,
): Promise<MembershipWithUser[]> {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .selectAll('m')
    .select(['u.email as userEmail', 'u.name as userName'])
    .where('m.organizationId', '=', organizationId)
    .orderBy('m.createdAt')
    .orderBy('m.userId')
    .execute();
}

export async function updateMembershipRole(
  db: Executor,
  organizationId: string,
  userId: string,
  role: MembershipRole,
): Promise<MembershipRow | undefined> {
  return db
    .updateTable('memberships')
    .set({ role, updatedAt: sql<Date>`now()` })
    .where('organizationId', '=', organizationId)
    .where('userId', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

/** true when a membership was deleted. */
export async function deleteMembership(
  db: Executor,
  organizationId: string,
  userId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('memberships')
    .where('organizationId', '=', organizationId)
    .where('userId', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
