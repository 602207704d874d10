import { sql } from 'kysely';
import type { MembershipRole, MembershipRow, NewMembership, OrganizationTier } from '../tables/index.ts';
import type { Executor } from './executor.ts';

/** A member as the team page lists them. */
export interface MemberListRow {
  userId: string;
  email: string;
  name: string;
  role: MembershipRole;
  joinedAt: Date;
  /** joinedAt at full database precision (microseconds), for a keyset cursor that never skips or repeats. */
  cursorJoinedAt: string;
}

/** Where the next page starts: after this (joinedAt, userId) in ascending order. */
export interface MemberCursor {
  joinedAt: string;
  userId: string;
}

export interface MembershipWithOrganization extends MembershipRow {
  organizationName: string;
  organizationSlug: string;
  organizationTier: OrganizationTier;
}

export async function insertMembership(db: Executor, membership: NewMembership): Promise<MembershipRow> {
  return db.insertInto('memberships').values(membership).returningAll().executeTakeFirstOrThrow();
}

function memberColumns(db: Executor) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .select([
      'm.userId as userId',
      'u.email as email',
      'u.name as name',
      'm.role as role',
      'm.createdAt as joinedAt',
      sql<string>`to_char(${sql.ref('m.createdAt')} at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US"+00"')`.as(
        'cursorJoinedAt',
      ),
    ]);
}

/** The user's membership of the organisation, as the team page shows it; undefined when they are not a member. */
export async function findMembership(
  db: Executor,
  organizationId: string,
  userId: string,
): Promise<MemberListRow | undefined> {
  return memberColumns(db)
    .where('m.organizationId', '=', organizationId)
    .where('m.userId', '=', userId)
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

/** One page of members, oldest membership first; asks for one row more than `limit` so callers know if more follow. */
export async function listMembersPage(
  db: Executor,
  organizationId: string,
  options: { limit: number; after?: MemberCursor | null },
): Promise<MemberListRow[]> {
  let query = memberColumns(db).where('m.organizationId', '=', organizationId);
  const after = options.after;
  if (after) {
    const joinedAt = sql<Date>`cast(${after.joinedAt} as timestamptz)`;
    query = query.where((eb) =>
      eb.or([
        eb('m.createdAt', '>', joinedAt),
        eb.and([eb('m.createdAt', '=', joinedAt), eb('m.userId', '>', after.userId)]),
      ]),
    );
  }
  return query
    .orderBy('m.createdAt')
    .orderBy('m.userId')
    .limit(options.limit + 1)
    .execute();
}

export async function countOwners(db: Executor, organizationId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('organizationId', '=', organizationId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.count);
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
