import { z } from 'zod';
import { SCOPE_NAMES, type Scope } from '../scope/catalogue.ts';
import { impliedScopes, normalizeScopes } from '../scope/scopes.ts';
import type { TokenKind } from '../token/format.ts';

/** Membership roles, from most to least powerful. */
export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const ZRole = z.enum(ROLES, { error: 'Role must be owner, admin, member or viewer' });

const VIEWER_CEILING = SCOPE_NAMES.filter(
  (scope) => scope.endsWith(':read') && scope !== 'audit:read' && scope !== 'billing:read',
);

/**
 * What each role may ever do, whatever a token says (§2). Ceilings list read scopes explicitly next to
 * their write scopes, so a plain set intersection gives the right answer.
 */
export const ROLE_CEILINGS: Readonly<Record<Role, readonly Scope[]>> = Object.freeze({
  viewer: Object.freeze(VIEWER_CEILING),
  member: Object.freeze(
    normalizeScopes([
      ...VIEWER_CEILING,
      'reviews:write',
      'wiki:write',
      'billing:read',
      'tokens:read',
      'tokens:write',
    ]),
  ),
  admin: Object.freeze(SCOPE_NAMES.filter((scope) => scope !== 'billing:write')),
  owner: Object.freeze([...SCOPE_NAMES]),
});

const CEILING_SETS: Readonly<Record<Role, ReadonlySet<Scope>>> = {
  viewer: new Set(ROLE_CEILINGS.viewer),
  member: new Set(ROLE_CEILINGS.member),
  admin: new Set(ROLE_CEILINGS.admin),
  owner: new Set(ROLE_CEILINGS.owner),
};

const RANK: Readonly<Record<Role, number>> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** The scopes a role may hold, in catalogue order. */
export function roleCeiling(role: Role): readonly Scope[] {
  return ROLE_CEILINGS[role];
}

/** Whether `role` may hold `scope` at all. */
export function roleAllows(role: Role, scope: Scope): boolean {
  return CEILING_SETS[role].has(scope);
}

/**
 * Splits requested scopes into those the role may hold and those it may not, both deduplicated in
 * catalogue order. A write scope beyond the ceiling is refused whole, not downgraded to its read: a
 * creator asking for `wiki:write` should hear no, not silently get less.
 */
export function clipScopesToRole(
  scopes: Iterable<Scope>,
  role: Role,
): { allowed: Scope[]; refused: Scope[] } {
  const allowed: Scope[] = [];
  const refused: Scope[] = [];
  for (const scope of normalizeScopes(scopes)) (roleAllows(role, scope) ? allowed : refused).push(scope);
  return { allowed, refused };
}

/** Whether the role may manage tokens of other members (on-behalf-of, service tokens, others' tokens). */
export function canManageOthersTokens(role: Role): boolean {
  return roleAtLeast(role, 'admin');
}

/** Whether `role` is `min` or more powerful (owner > admin > member > viewer). */
export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

export interface EffectiveScopesInput {
  tokenScopes: Iterable<Scope>;
  type: TokenKind;
  /** The subject's current role; null when the subject is no longer a member. Ignored for service tokens. */
  subjectRole?: Role | null;
}

/**
 * The scopes a token may actually use now (§3), in catalogue order and with implied reads listed, so the
 * result reads truthfully in whoami and works with a plain `Set.has`. Personal tokens are cut to their
 * subject's current role ceiling, read-implications first: a `wiki:write` token whose subject may only
 * read the wiki keeps `wiki:read`. Service tokens keep their own scopes.
 */
export function effectiveScopes({ tokenScopes, type, subjectRole }: EffectiveScopesInput): Scope[] {
  const implied = impliedScopes(tokenScopes);
  if (type === 'service') return normalizeScopes(implied);
  if (!subjectRole) return [];
  const ceiling = CEILING_SETS[subjectRole];
  return SCOPE_NAMES.filter((scope) => implied.has(scope) && ceiling.has(scope));
}
