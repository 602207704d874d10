import { findTokenForVerification } from '@tollgate/db';
import { parseToken, type Scope, TollgateError } from '@tollgate/domain';
import type { Services } from '../services.ts';
import type { TokenPrincipal } from '../trpc/context.ts';
import { hashTokenNative } from './hash.ts';
import { type CachedToken, compileCachedToken } from './token-cache.ts';

export interface VerifyTokenInput {
  /** The raw Authorization header; null when the request has none. */
  authorization: string | null;
  /** The client address, already resolved through TRUST_PROXY. */
  ip: string;
  /** The scope the procedure requires; null for "any valid token" (e.g. whoami). */
  requiredScope: Scope | null;
}

type VerificationServices = Pick<Services, 'env' | 'db' | 'clock' | 'tokenCache' | 'usage'>;

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Authenticates a request's Bearer token in exactly the order of §3, each failure with its own §7 code:
 * header → shape and checksum (no database access) → lookup by hash (in-process cache, else one indexed
 * query) → revoked → inactive → expired → rotation grace → subject still a member with a role allowed to
 * use tokens → client IP → [rate limit] → scope. On success the request is counted in memory (usage is
 * written in batches, never on the request path) and the token's principal is returned.
 */
export async function verifyToken(
  services: VerificationServices,
  input: VerifyTokenInput,
): Promise<TokenPrincipal> {
  const { authorization, ip, requiredScope } = input;
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
  const nowMs = now.getTime();
  // The warm path stays synchronous; only a miss waits for the database.
  const cached = services.tokenCache.get(hash, nowMs);
  const record =
    cached === undefined ? await services.tokenCache.resolve(hash, () => loadToken(services, hash)) : cached;
  if (!record) throw new TollgateError('INVALID_TOKEN');

  if (record.revoked) throw new TollgateError('TOKEN_REVOKED');
  if (!record.active) throw new TollgateError('TOKEN_INACTIVE');
  if (record.expiresAtMs !== null && record.expiresAtMs <= nowMs) throw new TollgateError('TOKEN_EXPIRED');
  if (record.graceEndsAtMs !== null && record.graceEndsAtMs <= nowMs) {
    throw new TollgateError(
      'INVALID_TOKEN',
      'The API token is not valid: it was rotated and its grace period has ended. Use the new token.',
    );
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
  // Rate limit (§6) goes here, between the IP check and the scope check.
  if (requiredScope !== null && !record.principal.scopes.has(requiredScope)) {
    throw new TollgateError(
      'INSUFFICIENT_SCOPE',
      `This request requires the ${requiredScope} scope, which the API token does not have.`,
    );
  }

  services.usage.record(record.tokenId, record.organizationId, ip, now);
  return record.principal;
}

async function loadToken(services: VerificationServices, hash: string): Promise<CachedToken | undefined> {
  const row = await findTokenForVerification(services.db, hash);
  return row && compileCachedToken(row, hash);
}
