import { sql } from 'kysely';
import type { MembershipRole, OrganizationRow } from '../tables/index.ts';
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

/**
 * Locks the organisation row until the transaction ends, so that changes to its members are serialised:
 * two owners demoting each other at once cannot both pass the "last owner" check. undefined when absent.
 */
export async function lockOrganization(db: Executor, id: string): Promise<OrganizationRow | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
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

export async function findMember(
  db: Executor,
  organizationId: string,
  userId: string,
): Promise<MemberListRow | undefined> {
  return memberColumns(db)
    .where('m.organizationId', '=', organizationId)
    .where('m.userId', '=', userId)
    .executeTakeFirst();
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

/**
 * How many live tokens (not revoked, not expired at `now`) of the organisation the given policy would not
 * have allowed: no expiry while one is required, or a lifetime (expiry − creation) over the maximum.
 */
export async function countTokensBeyondPolicy(
  db: Executor,
  organizationId: string,
  policy: { maxTokenLifetimeDays: number | null; requireExpiry: boolean; now: Date },
): Promise<number> {
  const { maxTokenLifetimeDays, requireExpiry, now } = policy;
  if (maxTokenLifetimeDays === null && !requireExpiry) return 0;
  const row = await db
    .selectFrom('tokens')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('organizationId', '=', organizationId)
    .where('revokedAt', 'is', null)
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', now)]))
    .where((eb) => {
      const beyond = [];
      if (requireExpiry || maxTokenLifetimeDays !== null) beyond.push(eb('expiresAt', 'is', null));
      if (maxTokenLifetimeDays !== null) {
        beyond.push(
          eb(
            'expiresAt',
            '>',
            sql<Date>`${sql.ref('createdAt')} + make_interval(days => cast(${maxTokenLifetimeDays} as integer))`,
          ),
        );
      }
      return eb.or(beyond);
    })
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
