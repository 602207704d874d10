import type { MembershipRole, NewSession, SessionRow } from '../tables/index.ts';
import type { Executor } from './executor.ts';

export interface SessionWithRole extends SessionRow {
  /** The user's role in the session's current organisation; null when there is none or no longer a membership. */
  role: MembershipRole | null;
}

export async function insertSession(db: Executor, session: NewSession): Promise<SessionRow> {
  return db.insertInto('sessions').values(session).returningAll().executeTakeFirstOrThrow();
}

/**
 * The session whose secret hashes to `secretHash`, with the user's current role in its organisation: one
 * query, served by the unique index on secret_hash.
 */
export async function findSessionBySecretHash(
  db: Executor,
  secretHash: string,
): Promise<SessionWithRole | undefined> {
  return db
    .selectFrom('sessions as s')
    .leftJoin('memberships as m', (join) =>
      join.onRef('m.userId', '=', 's.userId').onRef('m.organizationId', '=', 's.organizationId'),
    )
    .selectAll('s')
    .select('m.role as role')
    .where('s.secretHash', '=', secretHash)
    .executeTakeFirst();
}

export async function touchSession(db: Executor, id: string, lastSeenAt: Date): Promise<void> {
  await db.updateTable('sessions').set({ lastSeenAt }).where('id', '=', id).execute();
}

export async function setSessionOrganization(
  db: Executor,
  id: string,
  organizationId: string | null,
): Promise<void> {
  await db.updateTable('sessions').set({ organizationId }).where('id', '=', id).execute();
}

/** true when a session was deleted. */
export async function deleteSession(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('sessions').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Removes sessions that expired before `now`; returns how many. */
export async function deleteExpiredSessions(db: Executor, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expiresAt', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
