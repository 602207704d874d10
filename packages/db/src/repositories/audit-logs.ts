import { sql } from 'kysely';
import { type AuditLogRow, jsonb, type NewAuditLog } from '../tables/index.ts';
import type { Executor } from './executor.ts';
import { escapeLikePattern } from './tokens.ts';

/** Appends an entry; the table refuses updates and deletes, so there is nothing else to offer. */
export async function insertAuditLog(db: Executor, entry: NewAuditLog): Promise<AuditLogRow> {
  return db
    .insertInto('auditLogs')
    .values({ ...entry, detail: entry.detail && jsonb(entry.detail) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Where the next page of the audit log starts: before this (createdAt, id) in descending order. */
export interface AuditLogCursor {
  /** createdAt at full database precision (microseconds), as returned in `cursorCreatedAt`. */
  createdAt: string;
  id: string;
}

export interface AuditLogFilter {
  organizationId: string;
  actorId?: string | undefined;
  action?: string | undefined;
  targetId?: string | undefined;
  /** createdAt ≥ from. */
  from?: Date | undefined;
  /** createdAt < before (exclusive, so that a millisecond bound covers the microseconds within it). */
  before?: Date | undefined;
}

/**
 * One page of an organisation's audit log, newest first, served by the (organization_id, created_at desc,
 * id desc) index; asks for one row more than `limit` so callers know whether more follow.
 */
export async function listAuditLogs(
  db: Executor,
  filter: AuditLogFilter,
  page: { limit: number; before?: AuditLogCursor | null },
): Promise<(AuditLogRow & { cursorCreatedAt: string })[]> {
  let query = db
    .selectFrom('auditLogs')
    .selectAll()
    .select(
      sql<string>`to_char(${sql.ref('createdAt')} at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US"+00"')`.as(
        'cursorCreatedAt',
      ),
    )
    .where('organizationId', '=', filter.organizationId);
  if (filter.actorId !== undefined) query = query.where('actorId', '=', filter.actorId);
  if (filter.action !== undefined) {
    // An action (token.created) or a whole family of them (token → token.created, token.revoked, …).
    const family = `${escapeLikePattern(filter.action)}.%`;
    const action = filter.action;
    query = query.where((eb) => eb.or([eb('action', '=', action), eb('action', 'like', family)]));
  }
  if (filter.targetId !== undefined) query = query.where('targetId', '=', filter.targetId);
  if (filter.from !== undefined) query = query.where('createdAt', '>=', filter.from);
  if (filter.before !== undefined) query = query.where('createdAt', '<', filter.before);
  const before = page.before;
  if (before) {
    const createdAt = sql<Date>`cast(${before.createdAt} as timestamptz)`;
    query = query.where((eb) =>
      eb.or([
        eb('createdAt', '<', createdAt),
        eb.and([eb('createdAt', '=', createdAt), eb('id', '<', before.id)]),
      ]),
    );
  }
  return query
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
}
