import { findTokenHashById } from '@tollgate/db';
import { parseToken, type Scope, TollgateError } from '@tollgate/domain';
import { rotatedSecretError } from '../core/token-families.ts';
import { reportRetiredSecret } from '../core/token-reuse.ts';
import { knownTollgateError } from '../errors.ts';
import {
  assertFailedAuthAllowed,
  enforceRateLimit,
  type SetHeader,
  withFailedAuthLimit,
} from '../ratelimit/enforce.ts';
import type { RateLimitDecision } from '../ratelimit/limiter.ts';
import type { Services } from '../services.ts';
import { hashTokenNative } from './hash.ts';
import { type CachedToken, loadTokenRecord, type VerifiedToken } from './token-cache.ts';

/** A request's successful verification: the token as loaded, and how the request was counted (§6). */
export interface Verification {
  token: VerifiedToken;
  rateLimit: RateLimitDecision;
}

export interface VerifyTokenInput {
  /** The raw Authorization header; null when the request has none. */
  authorization: string | null;
  /** The request carried more than one Authorization header (which one would count is anyone's guess). */
  authorizationRepeated?: boolean;
  /** The client address, already resolved through TRUST_PROXY. */
  ip: string;
  /** The scope the procedure requires; null for "any valid token" (e.g. whoami). */
  requiredScope: Scope | null;
  /**
   * Where the rate-limit headers go (the request's setHeader), and its user agent for the audit entry of a
   * reused secret (§12); absent: counted without headers.
   */
  request?: VerificationRequest;
}

/** The request being verified, as far as verification needs it. */
interface VerificationRequest {
  setHeader: SetHeader;
  userAgent?: string | null;
}

type VerificationServices = Services;

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Authenticates a request's Bearer token in exactly the order of §3, each failure with its own §7 code:
 * header → shape and checksum (no database access) → lookup by hash (in-process cache, else one indexed
 * query) → revoked → inactive → expired → rotation grace → subject still a member with a role allowed to
 * use tokens → client IP → [rate limit] → scope. On success the request is counted in memory (usage is
 * written in batches, never on the request path) and the token's principal is returned with its stored fields.
 */
export async function verifyToken(
  services: VerificationServices,
  input: VerifyTokenInput,
): Promise<Verification> {
  // Failed authentications are limited per client address (§6), so that guessing tokens is slow.
  try {
    const verification = await withFailedAuthLimit(services, input.ip, input.request, () =>
      verifyBearer(services, input),
    );
    services.metrics.countVerification(null);
    return verification;
  } catch (error) {
    // A lookup the database could not answer counts as UNAVAILABLE, as the caller is told.
    services.metrics.countVerification(knownTollgateError(error)?.code ?? 'INTERNAL');
    throw error;
  }
}

async function verifyBearer(services: VerificationServices, input: VerifyTokenInput): Promise<Verification> {
  const { authorization, ip, requiredScope } = input;
  if (input.authorizationRepeated) {
    throw new TollgateError('MALFORMED_TOKEN', 'Send exactly one Authorization header.');
  }
  if (authorization === null || authorization.trim() === '') throw new TollgateError('MISSING_TOKEN');

  const bearer = BEARER.exec(authorization);
  if (bearer === null) {
    throw new TollgateError('MALFORMED_TOKEN', 'Send the API token as "Authorization: Bearer <token>".');
  }
  const token = bearer[1] as string;
  const parsed = parseToken(token, { prefix: services.env.TOKEN_PREFIX });
  if (!parsed.ok) {
    throw new TollgateError(
      'MALFORMED_TOKEN',
      parsed.reason === 'checksum'
        ? 'The API token is mistyped or incomplete: its checksum does not match. Copy it again.'
        : 'The API token is malformed; check that it was copied completely.',
    );
  }

  const hash = hashTokenNative(token);
  const now = services.clock.now();
  const cached = services.tokenCache.get(hash, now.getTime());
  (cached === undefined ? services.metrics.tokenCacheMiss : services.metrics.tokenCacheHit).inc();
  // A lookup that would reach the database first asks whether another process saw this address fail too often.
  if (cached === undefined) await assertFailedAuthAllowed(services, ip, input.request);
  return verifyTokenHash(services, hash, ip, requiredScope, input.request, { now, cached });
}

/**
 * The checks of §3 after the token's shape: lookup by hash → revoked → inactive → expired → grace → member →
 * IP → [rate limit] → scope. Shared by {@link verifyToken} and {@link verifyTokenById}, so both hold a
 * request to exactly the same rules.
 */
async function verifyTokenHash(
  services: VerificationServices,
  hash: string,
  ip: string,
  requiredScope: Scope | null,
  request: VerificationRequest | undefined,
  /** The cache lookup the caller already made, and when; absent: looked up here. */
  seen?: { now: Date; cached: CachedToken | null | undefined },
): Promise<Verification> {
  const now = seen?.now ?? services.clock.now();
  const nowMs = now.getTime();
  // The warm path stays synchronous; only a miss waits for the database.
  const cached = seen ? seen.cached : services.tokenCache.get(hash, nowMs);
  const record =
    cached === undefined
      ? await services.tokenCache.resolve(hash, () => loadToken(services, hash, ip, request))
      : cached;
  if (!record) throw new TollgateError('INVALID_TOKEN');

  if (record.revoked) throw new TollgateError('TOKEN_REVOKED');
  if (!record.active) throw new TollgateError('TOKEN_INACTIVE');
  if (record.expiresAtMs !== null && record.expiresAtMs <= nowMs) throw new TollgateError('TOKEN_EXPIRED');
  if (record.graceEndsAtMs !== null && record.graceEndsAtMs <= nowMs) {
    // A retired secret (§12), still the token's previous one: reported as reuse, like an older one.
    await reportRetiredSecret(services, hash, { ip, userAgent: request?.userAgent ?? null });
    throw rotatedSecretError();
  }
  if (!record.isMember) {
    throw new TollgateError(
      'ROLE_NOT_ALLOWED',
      "The token's owner is no longer a member of this organisation.",
    );
  }
  if (!record.roleMayUseTokens) {
    throw new TollgateError(
      'ROLE_NOT_ALLOWED',
      `This organisation does not allow members with the ${record.principal.role} role to use API tokens.`,
    );
  }
  if (!record.tokenIpAllowed(ip) || !record.organizationIpAllowed(ip)) {
    throw new TollgateError('IP_NOT_ALLOWED', `Requests from ${ip} are not allowed with this API token.`);
  }
  // Rate limit (§6), between the IP check and the scope check: the organisation's counters, and the token's own.
  const rateLimit = await enforceRateLimit(services, record.rateLimitSubject, request);
  if (requiredScope !== null && !record.principal.scopes.has(requiredScope)) {
    throw new TollgateError(
      'INSUFFICIENT_SCOPE',
      `This request requires the ${requiredScope} scope, which the API token does not have.`,
    );
  }

  services.usage.record(record.tokenId, record.organizationId, ip, now, request?.userAgent ?? null);
  return { token: record, rateLimit };
}

async function loadToken(
  services: VerificationServices,
  hash: string,
  ip: string,
  request: VerificationRequest | undefined,
): Promise<CachedToken | undefined> {
  const record = await loadTokenRecord(services.db, hash);
  if (record) return record;
  // Not a current or previous secret: a retired one of a token's family (§12) is refused as rotated and
  // reported, not cached as unknown, so that each presentation is audited and answered the same way.
  if (await reportRetiredSecret(services, hash, { ip, userAgent: request?.userAgent ?? null })) {
    throw rotatedSecretError();
  }
  return undefined;
}

/**
 * Verifies a request made *as* a token identified by its id rather than by its secret, for the web app's API
 * playground: the signed-in user picks one of their own tokens, whose secret the server never stored. The
 * token's current hash is looked up (one indexed query, scoped to the organisation) and then every check of
 * {@link verifyToken} after the secret's shape applies unchanged: status, membership, IP rule against the
 * caller's address, rate limit and scope. Only the caller may vouch for the token (the playground checks the
 * caller may see it); an unknown id is INVALID_TOKEN, as an unknown secret would be.
 */
export async function verifyTokenById(
  services: VerificationServices,
  input: {
    tokenId: string;
    organizationId: string;
    ip: string;
    requiredScope: Scope | null;
    request?: { setHeader: SetHeader };
  },
): Promise<Verification> {
  const hash = await findTokenHashById(services.db, input.organizationId, input.tokenId);
  if (hash === undefined) throw new TollgateError('INVALID_TOKEN');
  return verifyTokenHash(services, hash, input.ip, input.requiredScope, input.request);
}
