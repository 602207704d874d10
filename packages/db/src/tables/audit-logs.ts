import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { JsonObject } from './json.ts';

/** Mirrors the CHECK constraint on audit_logs.actor_type. */
export type AuditActorType = 'user' | 'token' | 'system';

/** A column that can be written once and never updated (the table is append-only). */
type Immutable<T, TInsert = T> = ColumnType<T, TInsert, never>;

export interface AuditLogsTable {
  id: Immutable<string>;
  /** No foreign key: entries outlive the organisation. */
  organizationId: Immutable<string | null>;
  actorType: Immutable<AuditActorType>;
  actorId: Immutable<string | null>;
  actorUserId: Immutable<string | null>;
  action: Immutable<string>;
  targetType: Immutable<string | null>;
  targetId: Immutable<string | null>;
  ip: Immutable<string | null>;
  userAgent: Immutable<string | null>;
  /** The Request-Id (§7) of the HTTP request that caused the entry; null for the CLI and background jobs. */
  requestId: Immutable<string | null, string | null | undefined>;
  /** Never a token secret, password or session id. */
  detail: Immutable<JsonObject, JsonObject | undefined>;
  createdAt: Immutable<Date, Date | undefined>;
}

export type AuditLogRow = Selectable<AuditLogsTable>;
export type NewAuditLog = Insertable<AuditLogsTable>;
