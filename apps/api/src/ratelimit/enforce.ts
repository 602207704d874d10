import type { OrganizationRow } from '@tollgate/db';
import { isTollgateError, TollgateError } from '@tollgate/domain';
import type { Services } from '../services.ts';
import type { RateLimitSource } from './config.ts';
import type { RateLimitDecision, RateLimitSubject } from './limiter.ts';

export type SetHeader = (name: string, value: string) => void;

type RateLimitServices = Pick<Services, 'rateLimits'>;

/**
 * Sets the headers of §6 for a counted request: `X-RateLimit-*` for the window closest to exhaustion, the IETF
 * draft fields (draft-ietf-httpapi-ratelimit-headers-10) `RateLimit-Policy` and `RateLimit`, each a List with a
 * member per policy that applied — both windows of the organisation, and the token's own limit when it has one —
 * and `Retry-After` when refused. Written out one by one: this runs on every authenticated request.
 */
export function setRateLimitHeaders(
  request: { setHeader: SetHeader },
  decision: RateLimitDecision,
  nowMs: number = Date.now(),
): void {
  const { binding } = decision;
  request.setHeader('x-ratelimit-limit', String(binding.limit));
  request.setHeader('x-ratelimit-remaining', String(binding.remaining));
  request.setHeader('x-ratelimit-reset', String(Math.ceil(binding.resetAtMs / 1000)));
  request.setHeader('ratelimit-policy', decision.policy);
  let current = '';
  for (const policy of decision.policies) {
    const seconds = Math.max(0, Math.ceil((policy.resetAtMs - nowMs) / 1000));
    current += `${current === '' ? '' : ', '}"${policy.name}";r=${policy.remaining};t=${seconds}`;
  }
  request.setHeader('ratelimit', current);
  if (!decision.allowed) request.setHeader('retry-after', String(decision.retryAfterSeconds));
}

/**
 * Counts an authenticated request (§3's step between the IP check and the scope check), sets the headers
 * and throws RATE_LIMITED — after setting Retry-After, so that both surfaces send it with the 429.
 */
export async function enforceRateLimit(
  services: RateLimitServices,
  subject: RateLimitSubject,
  request?: { setHeader: SetHeader },
): Promise<RateLimitDecision> {
  const decision = await services.rateLimits.consume(subject);
  if (request) setRateLimitHeaders(request, decision);
  if (!decision.allowed) throw new TollgateError('RATE_LIMITED');
  return decision;
}

/**
 * The rate-limit source of a cached organisation row: one object per row, so that the limiter's plan for it is
 * worked out once (RateLimiterService keeps plans per source object) and goes when the row leaves the cache.
 */
const organizationSources = new WeakMap<OrganizationRow, RateLimitSource>();

/**
 * Counts a web-app (session) request against its organisation, like a token's. The organisation's tier and
 * custom limits come from the organisation cache (invalidated on every change, as tokens' records are).
 */
export async function enforceSessionRateLimit(
  services: Pick<Services, 'rateLimits' | 'organizations'>,
  organizationId: string,
  request: { setHeader: SetHeader },
): Promise<RateLimitDecision> {
  const organization = await services.organizations.get(organizationId);
  if (!organization) throw new TollgateError('FORBIDDEN', 'Your organisation no longer exists.');
  let source = organizationSources.get(organization);
  if (source === undefined) {
    source = {
      tier: organization.tier,
      organizationCustom: {
        perMinute: organization.customRateLimitPerMinute,
        perHour: organization.customRateLimitPerHour,
      },
    };
    organizationSources.set(organization, source);
  }
  return enforceRateLimit(services, { organizationId, tokenId: null, source }, request);
}

function tooManyFailures(seconds: number, request?: { setHeader: SetHeader }): TollgateError {
  request?.setHeader('Retry-After', String(seconds));
  return new TollgateError(
    'RATE_LIMITED',
    'Too many failed authentication attempts from this address. Please try again later.',
  );
}

/** 401s of a Bearer authentication that come before any lookup: counted in process memory only. */
const REFUSED_BEFORE_LOOKUP: ReadonlySet<string> = new Set(['MISSING_TOKEN', 'MALFORMED_TOKEN']);

/**
 * Runs a Bearer authentication under the failed-authentication limit of the client address: refused at once
 * (no token parsing, no database) when this process knows the address is over it; every 401 counts, and an
 * attempt over the limit is answered 429 RATE_LIMITED with Retry-After instead of its 401. A missing or
 * malformed token is counted in this process's memory, any other failure in the shared store (see
 * RateLimiterService.recordFailedAuth).
 */
export async function withFailedAuthLimit<T>(
  services: RateLimitServices,
  ip: string,
  request: { setHeader: SetHeader } | undefined,
  authenticate: () => Promise<T>,
): Promise<T> {
  const blocked = services.rateLimits.failedAuthBlockedSeconds(ip);
  if (blocked > 0) throw tooManyFailures(blocked, request);
  try {
    return await authenticate();
  } catch (error) {
    if (!isTollgateError(error) || error.status !== 401) throw error;
    const counted = REFUSED_BEFORE_LOOKUP.has(error.code) ? 'process' : 'store';
    const wait = await services.rateLimits.recordFailedAuth(ip, counted);
    if (wait > 0) throw tooManyFailures(wait, request);
    throw error;
  }
}

/** Before a lookup that reaches the database: refuses an address over the limit counted by any process. */
export async function assertFailedAuthAllowed(
  services: RateLimitServices,
  ip: string,
  request?: { setHeader: SetHeader },
): Promise<void> {
  const wait = await services.rateLimits.failedAuthWaitSeconds(ip);
  if (wait > 0) throw tooManyFailures(wait, request);
}
