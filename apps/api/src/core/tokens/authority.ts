import type { TokenRow } from '@tollgate/db';
import {
  canManageOthersTokens,
  type ErrorDetail,
  impliedScopes,
  parseIpRange,
  type Role,
  roleAllows,
  roleCeiling,
  type Scope,
  TollgateError,
} from '@tollgate/domain';
import type { z } from 'zod';
import { type AuditActor, actorOf, SYSTEM_ACTOR } from '../../audit/record.ts';
import type { CallOptions, OrganizationActor, OrganizationSystemActor } from '../actor.ts';

/** Tollgate itself acting in one organisation (core/actor.ts), as the token functions take it. */
export type SystemActor = OrganizationSystemActor;

/** Whoever asks for a token change: a signed-in user, a token, or the system (CLI). */
export type TokenActor = OrganizationActor;

/** Where the request came from, for the audit entry; absent for the CLI. */
export type TokenCallOptions = CallOptions;

/** What an actor may do with tokens, worked out once per call. */
export interface Authority {
  organizationId: string;
  /** The person behind the actor (session user, personal token subject); null for the system and service tokens. */
  userId: string | null;
  tokenId: string | null;
  /** The person's role, checked against policy.tokenCreateRoles; null when no person acts. */
  personRole: Role | null;
  /** Admin/owner authority: tokens of other members, on-behalf tokens, service tokens. */
  managesOthers: boolean;
  /** The scopes this actor may hand out: its role ceiling, and for a token also only what the token holds. */
  grantable: ReadonlySet<Scope>;
  audit: AuditActor;
}

export const ALL_SCOPES: ReadonlySet<Scope> = new Set(roleCeiling('owner'));

export function authorityOf(actor: TokenActor): Authority {
  if (actor.kind === 'system') {
    return {
      organizationId: actor.organizationId,
      userId: null,
      tokenId: null,
      personRole: null,
      managesOthers: true,
      grantable: ALL_SCOPES,
      audit: SYSTEM_ACTOR,
    };
  }
  if (actor.organizationId === null)
    throw new TollgateError('FORBIDDEN', 'You are not a member of any organisation.');
  const held = impliedScopes(actor.scopes);
  if (actor.kind === 'token' && actor.tokenType === 'service') {
    // A service token acts as the organisation, but can still only hand out what it holds itself.
    return {
      organizationId: actor.organizationId,
      userId: null,
      tokenId: actor.tokenId,
      personRole: null,
      managesOthers: true,
      grantable: held,
      audit: actorOf(actor),
    };
  }
  if (actor.role === null || actor.userId === null) {
    throw new TollgateError('FORBIDDEN', 'You are not a member of this organisation.');
  }
  const role = actor.role;
  return {
    organizationId: actor.organizationId,
    userId: actor.userId,
    tokenId: actor.kind === 'token' ? actor.tokenId : null,
    personRole: role,
    managesOthers: canManageOthersTokens(role),
    grantable: new Set([...held].filter((scope) => roleAllows(role, scope))),
    audit: actorOf(actor),
  };
}

/** Whether the actor may see and manage this token: admins/owners all, others their own personal tokens. */
export function canManage(authority: Authority, row: TokenRow): boolean {
  return authority.managesOthers || (row.type === 'personal' && row.subjectUserId === authority.userId);
}

export function notFound(): TollgateError {
  return new TollgateError('NOT_FOUND', 'No token with that id was found.');
}

export function revokedConflict(): TollgateError {
  return new TollgateError('CONFLICT', 'This token has been revoked; a revoked token cannot be changed.');
}

/** Validates input with a core schema, so the CLI gets the same answers as the procedures. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  throw new TollgateError('VALIDATION_FAILED', undefined, details);
}

/** IP allowlist entries in canonical form (`10.1.2.3/8` is `10.0.0.0/8`), each once. */
export function canonicalIpAllowlist(entries: readonly string[]): string[] {
  const canonical = new Set<string>();
  const details: ErrorDetail[] = [];
  entries.forEach((entry, index) => {
    const parsed = parseIpRange(entry);
    if (parsed.ok) canonical.add(parsed.range.cidr);
    else details.push({ path: `ipAllowlist.${index}`, message: parsed.message });
  });
  if (details.length > 0) {
    throw new TollgateError(
      'VALIDATION_FAILED',
      'The IP allowlist has an entry that is not an address or range.',
      details,
    );
  }
  return [...canonical];
}

export function listOf(scopes: readonly string[]): string {
  return scopes.join(', ');
}
