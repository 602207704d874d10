import { type Executor, insertAuditLog, type JsonObject } from '@tollgate/db';
import { newId } from '@tollgate/domain';
import type { Principal } from '../auth/principal.ts';
import type { RequestInfo } from '../request-info.ts';

export interface AuditActor {
  type: 'user' | 'token' | 'system';
  /** The user id or token id; null for the system. */
  id: string | null;
  /** The person behind the actor, when there is one (a personal token's subject, a session's user). */
  userId: string | null;
}

export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: null, userId: null };

export function actorOf(principal: Principal): AuditActor {
  return principal.kind === 'token'
    ? { type: 'token', id: principal.tokenId, userId: principal.userId }
    : { type: 'user', id: principal.userId, userId: principal.userId };
}

export interface AuditEntry {
  organizationId: string | null;
  actor: AuditActor;
  /** Dotted verb, e.g. `token.created`, `member.role_changed`, `session.login`. */
  action: string;
  target?: { type: string; id: string } | null;
  /** Where the change came from; its `requestId` ties the entry to the response and log line of the request. */
  request?: (Pick<RequestInfo, 'ip' | 'userAgent'> & Partial<Pick<RequestInfo, 'requestId'>>) | null;
  /** Never a secret: callers pass ids, names and changed fields only. */
  detail?: Record<string, unknown>;
}

/**
 * Appends an audit entry. Call it inside the transaction of the change it records, so that either both
 * are written or neither is.
 */
export async function recordAudit(executor: Executor, entry: AuditEntry): Promise<void> {
  await insertAuditLog(executor, {
    id: newId('audit'),
    organizationId: entry.organizationId,
    actorType: entry.actor.type,
    actorId: entry.actor.id,
    actorUserId: entry.actor.userId,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    ip: entry.request?.ip ?? null,
    userAgent: entry.request?.userAgent ?? null,
    requestId: entry.request?.requestId ?? null,
    detail: (entry.detail ?? {}) as JsonObject,
  });
}
