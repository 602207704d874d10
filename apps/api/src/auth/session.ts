import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  deleteSession,
  type Executor,
  findSessionBySecretHash,
  insertSession,
  type SessionRow,
  touchSession,
} from '@tollgate/db';
import { newId, type Role, roleCeiling, TollgateError } from '@tollgate/domain';
import type { CookieOptions, RequestInfo } from '../request-info.ts';
import type { Services } from '../services.ts';
import type { SessionPrincipal } from './principal.ts';

export const SESSION_COOKIE = 'tollgate_session';

/** Sessions end 7 days after sign-in (an absolute lifetime: activity does not extend it). */
export const SESSION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** lastSeenAt is refreshed at most this often, so that authenticating a request is not a write per request. */
export const SESSION_TOUCH_INTERVAL_MS = 5 * 60 * 1000;

const SECRET_BYTES = 32;
// base64url of 32 bytes; anything else in the cookie is not ours and is not looked up.
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

/**
 * The CSRF token of a session, derived from the cookie secret with HMAC-SHA256. Deriving it (instead of
 * storing it) lets `auth.me` hand the web app the same token again after a reload, while the database holds
 * only its SHA-256 (sessions.csrfTokenHash), which is what requests are checked against. The HMAC is one-way:
 * the token, readable by the page's JavaScript, does not reveal the HttpOnly cookie secret.
 */
function deriveCsrfToken(secret: string): string {
  return createHmac('sha256', secret).update('tollgate csrf token v1').digest('base64url');
}

function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * The session cookie's attributes. Secure whenever the request came over https (Fastify's `request.protocol`,
 * which honours X-Forwarded-Proto under TRUST_PROXY) and also whenever the server listens on anything but a
 * loopback address (HOST): RequestInfo carries no Host header to trust, and a server reachable from other
 * machines must only ever send the cookie over TLS. Only a server bound to localhost/127.0.0.1 — a developer
 * machine — gets a cookie without Secure over plain http.
 */
export function sessionCookieOptions(
  services: Services,
  request: RequestInfo,
  expires?: Date,
): CookieOptions {
  const options: CookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: request.secure || !isLoopbackHost(services.env.HOST),
  };
  if (expires) {
    options.expires = expires;
    // @fastify/cookie takes maxAge in seconds.
    options.maxAge = Math.max(0, Math.floor((expires.getTime() - services.clock.now().getTime()) / 1000));
  }
  return options;
}

export interface CreatedSession {
  sessionId: string;
  /** The cookie value; only its SHA-256 is stored. */
  secret: string;
  /** For the X-CSRF-Token header of mutations; only its SHA-256 is stored. */
  csrfToken: string;
  expiresAt: Date;
}

/**
 * Starts a session: stores the SHA-256 of a fresh 256-bit secret and of its CSRF token, and sets the cookie.
 * Pass `executor` to take part in a transaction (login records its audit entry in the same one).
 */
export async function createSession(
  services: Services,
  input: { userId: string; organizationId: string | null; request: RequestInfo; executor?: Executor },
): Promise<CreatedSession> {
  const now = services.clock.now();
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  const csrfToken = deriveCsrfToken(secret);
  const sessionId = newId('session', now);
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  await insertSession(input.executor ?? services.db, {
    id: sessionId,
    secretHash: sha256Hex(secret),
    userId: input.userId,
    organizationId: input.organizationId,
    csrfTokenHash: sha256Hex(csrfToken),
    ip: input.request.ip,
    userAgent: input.request.userAgent,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
  });
  input.request.setCookie(SESSION_COOKIE, secret, sessionCookieOptions(services, input.request, expiresAt));
  return { sessionId, secret, csrfToken, expiresAt };
}

function principalOf(row: SessionRow & { role: Role | null }): SessionPrincipal {
  // A session whose organisation the user has left acts in none until it switches to another.
  const role = row.organizationId === null ? null : row.role;
  return {
    kind: 'session',
    sessionId: row.id,
    userId: row.userId,
    organizationId: role === null ? null : row.organizationId,
    role,
    scopes: new Set(role === null ? [] : roleCeiling(role)),
    csrfTokenHash: row.csrfTokenHash,
  };
}

/**
 * The signed-in session of a request, or null (no cookie, unknown or expired session). One query, which also
 * brings the user's current role in the session's organisation, so a role change or removal applies at once.
 */
export async function authenticateSession(
  services: Services,
  request: RequestInfo,
): Promise<SessionPrincipal | null> {
  const secret = request.getCookie(SESSION_COOKIE);
  if (secret === undefined || !SECRET_PATTERN.test(secret)) return null;
  const row = await findSessionBySecretHash(services.db, sha256Hex(secret));
  if (!row) return null;
  const now = services.clock.now();
  if (row.expiresAt.getTime() <= now.getTime()) return null;
  if (now.getTime() - row.lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
    await touchSession(services.db, row.id, now);
  }
  return principalOf(row);
}

/** The CSRF token of the request's session cookie (for `auth.me`); null without a well-formed cookie. */
export function csrfTokenOfRequest(request: RequestInfo): string | null {
  const secret = request.getCookie(SESSION_COOKIE);
  return secret !== undefined && SECRET_PATTERN.test(secret) ? deriveCsrfToken(secret) : null;
}

/**
 * Refuses a cookie-authenticated mutation without the session's CSRF token in X-CSRF-Token. SameSite=Lax
 * already keeps the cookie off cross-site POSTs; the token also covers same-site attackers and old browsers.
 */
export function verifyCsrfToken(
  session: Pick<SessionPrincipal, 'csrfTokenHash'>,
  header: string | null,
): void {
  const expected = Buffer.from(session.csrfTokenHash, 'hex');
  const actual = header ? hash('sha256', header, 'buffer') : Buffer.alloc(expected.length);
  if (!header || expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new TollgateError('FORBIDDEN', 'Missing or invalid CSRF token.');
  }
}

/** Ends a session: deletes its row (in `executor`'s transaction when given) and clears the cookie. */
export async function destroySession(
  services: Services,
  input: { sessionId: string; request: RequestInfo; executor?: Executor },
): Promise<void> {
  await deleteSession(input.executor ?? services.db, input.sessionId);
  input.request.clearCookie(SESSION_COOKIE, sessionCookieOptions(services, input.request));
}
