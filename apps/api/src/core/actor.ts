import { type AuditActor, actorOf, SYSTEM_ACTOR } from '../audit/record.ts';
import type { Principal } from '../auth/principal.ts';
import type { RequestInfo } from '../request-info.ts';

/**
 * Tollgate itself acting — the CLI run by an operator, the seed, the review engine run in process — recorded
 * as `system` in the audit log: no role checks apply.
 */
export interface SystemActor {
  kind: 'system';
}

/**
 * Tollgate itself acting in one organisation: owner authority there (a personal token it creates is still
 * bounded by its subject's role ceiling).
 */
export interface OrganizationSystemActor extends SystemActor {
  organizationId: string;
}

/** Whoever asks for a change: a signed-in user, a token, or the system (CLI). */
export type Actor = Principal | SystemActor;

/** Whoever acts in an organisation: a signed-in user, a token, or the system acting in that organisation. */
export type OrganizationActor = Principal | OrganizationSystemActor;

/** Where the request came from, for the audit entry; absent for the CLI and the system. */
export interface CallOptions {
  request?: Pick<RequestInfo, 'ip' | 'userAgent'> | null;
}

/** Who the audit entry names: the principal, or `system`. */
export function auditActorOf(actor: Actor): AuditActor {
  return actor.kind === 'system' ? SYSTEM_ACTOR : actorOf(actor);
}
