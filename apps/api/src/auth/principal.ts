import type { Role, Scope, TTokenType } from '@tollgate/domain';

/** A caller authenticated by a Bearer token. */
export interface TokenPrincipal {
  kind: 'token';
  tokenId: string;
  tokenType: TTokenType;
  organizationId: string;
  /** The subject of a personal token; null for service tokens. */
  userId: string | null;
  /** The subject's current role; null for service tokens. */
  role: Role | null;
  /** Token scopes ∩ the subject's role ceiling (service tokens: token scopes). */
  scopes: ReadonlySet<Scope>;
}

/** A caller signed in to the web app with a session cookie. */
export interface SessionPrincipal {
  kind: 'session';
  sessionId: string;
  userId: string;
  /** The organisation the session currently acts in; null when the user belongs to none. */
  organizationId: string | null;
  role: Role | null;
  /** A session acts with its user's role ceiling as its scopes (§2). */
  scopes: ReadonlySet<Scope>;
  /** SHA-256 of the session's CSRF token; mutations must present the token itself. */
  csrfTokenHash: string;
}

export type Principal = TokenPrincipal | SessionPrincipal;
