import { type Role, roleAllows } from '../role/roles.ts';
import { DEFAULT_SCOPES, type Scope } from '../scope/catalogue.ts';
import { normalizeScopes } from '../scope/scopes.ts';

/** Whoever hands out scopes when a token is created: what they may grant and how a refusal names them. */
export interface Grantor {
  /** The scopes this grantor may hand out (its role ceiling, and for a token also only what it holds). */
  grantable: ReadonlySet<Scope>;
  /** Whether a token makes the request. */
  viaToken: boolean;
  /** The person's role; null for the system and for service tokens. */
  personRole: Role | null;
}

/** One scope a grant refused, and why, in the words of the FORBIDDEN details. */
export interface RefusedScope {
  scope: Scope;
  reason: string;
}

export type GrantScopesResult = { ok: true; scopes: Scope[] } | { ok: false; refused: RefusedScope[] };

/**
 * Why `grantor` may not put `scope` on a token for a subject of `subjectRole` (null: a service token, no
 * subject), or null when it may: beyond the subject's role ceiling first, then beyond what the grantor may
 * hand out.
 */
export function refusalOf(scope: Scope, grantor: Grantor, subjectRole: Role | null): string | null {
  if (subjectRole !== null && !roleAllows(subjectRole, scope)) {
    return `${scope} is beyond the ${subjectRole} role of the token's subject`;
  }
  if (!grantor.grantable.has(scope)) {
    return grantor.viaToken && grantor.personRole === null
      ? `${scope} is not held by the token making this request`
      : grantor.viaToken
        ? `${scope} is beyond what the token making this request holds within your role`
        : `${scope} is beyond your ${grantor.personRole ?? 'current'} role`;
  }
  return null;
}

/**
 * The scopes a new token gets (§3): the requested ones if every one may be granted (else each refused one
 * with its reason), or with none requested the default set clipped to what may be granted.
 */
export function grantScopes(
  requested: readonly Scope[] | null,
  grantor: Grantor,
  subjectRole: Role | null,
): GrantScopesResult {
  if (requested === null) {
    return {
      ok: true,
      scopes: normalizeScopes(
        DEFAULT_SCOPES.filter((scope) => refusalOf(scope, grantor, subjectRole) === null),
      ),
    };
  }
  const refused = requested.flatMap((scope) => {
    const reason = refusalOf(scope, grantor, subjectRole);
    return reason === null ? [] : [{ scope, reason }];
  });
  return refused.length > 0 ? { ok: false, refused } : { ok: true, scopes: [...requested] };
}
