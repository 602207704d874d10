import { type Executor, insertLeakReport, type LeakReporter, type LeakReportItem } from '@tollgate/db';
import { hashToken, newId, PUBLIC_LEAK_REPORTS_PER_HOUR, parseToken, TollgateError } from '@tollgate/domain';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { RequestInfo } from '../request-info.ts';
import type { Services } from '../services.ts';
import { dropCachedTokens, type ReportRequest, revokeExposed } from './leak-report-job.ts';

export type { LeakReporter } from '@tollgate/db';

/** A credential someone reports as exposed, and where it was found (GitHub's report says both). */
export interface ReportedCredential {
  token: string;
  url?: string | undefined;
  source?: string | undefined;
}

const publicReportLimiters = new WeakMap<Services, RateLimiterAbstract>();

/** Public leak reports per client address: PUBLIC_LEAK_REPORTS_PER_HOUR, counted in the request limits' store. */
function publicReportLimiter(services: Services): RateLimiterAbstract {
  let limiter = publicReportLimiters.get(services);
  if (!limiter) {
    limiter = services.rateLimits.store.createLimiter({
      keyPrefix: services.rateLimits.keyPrefix('leak_report_ip'),
      points: PUBLIC_LEAK_REPORTS_PER_HOUR,
      durationSeconds: 3600,
    });
    publicReportLimiters.set(services, limiter);
  }
  return limiter;
}

/** Counts a public report against its address; RATE_LIMITED with Retry-After once the hour's are spent. */
async function assertPublicReportAllowed(services: Services, request: Pick<RequestInfo, 'ip' | 'setHeader'>) {
  try {
    await publicReportLimiter(services).consume(request.ip);
  } catch (refusal) {
    // Store failures go to the insurance limiter, so a rejection is a refusal; anything else is a bug.
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    const seconds = Math.max(1, Math.ceil((refusal.msBeforeNext ?? 1000) / 1000));
    request.setHeader('Retry-After', String(seconds));
    throw new TollgateError(
      'RATE_LIMITED',
      `Too many leak reports from this address; try again in ${seconds} seconds.`,
    );
  }
}

/**
 * The hash of each well-formed credential of a report (this installation's prefix, a valid checksum), with
 * where it was found. Anything else cannot be one of our tokens and is dropped; a token is never kept.
 */
export function reportedItems(prefix: string, credentials: readonly ReportedCredential[]): LeakReportItem[] {
  const items = new Map<string, LeakReportItem>();
  for (const credential of credentials) {
    if (!parseToken(credential.token, { prefix }).ok) continue;
    const hash = hashToken(credential.token);
    if (items.has(hash)) continue;
    items.set(hash, {
      hash,
      ...(credential.url === undefined ? {} : { url: credential.url }),
      ...(credential.source === undefined ? {} : { source: credential.source }),
    });
  }
  return [...items.values()];
}

/**
 * Keeps a public leak report (§13) for the leak-report job, which revokes its tokens within a second or so:
 * one insert of the well-formed credentials' hashes, the same work whatever they are, so neither the answer
 * nor its timing says whether a token exists (the job runs on its own tick, not on the request's: on the
 * embedded database it would otherwise hold up the answer by as much as it has to revoke). Limited per
 * client address. Returns how many strings were received.
 */
export async function receivePublicLeakReport(
  services: Services,
  credentials: readonly string[],
  request: ReportRequest & Pick<RequestInfo, 'setHeader'>,
): Promise<{ received: number }> {
  await assertPublicReportAllowed(services, request);
  const items = reportedItems(
    services.env.TOKEN_PREFIX,
    credentials.map((token) => ({ token })),
  );
  if (items.length > 0) {
    await insertLeakReport(services.db, {
      id: newId('leakReport', services.clock.now()),
      reporter: 'public_report',
      items,
      ip: request.ip,
      userAgent: request.userAgent,
      receivedAt: services.clock.now(),
    });
  }
  return { received: credentials.length };
}

/**
 * Revokes what a report names at once and says which credentials were ours: GitHub's secret scanning (§13)
 * wants a label per credential in its answer. Returns the hashes that matched a token.
 */
export async function revokeReportedNow(
  services: Services,
  reporter: LeakReporter,
  credentials: readonly ReportedCredential[],
  request: ReportRequest,
): Promise<Set<string>> {
  const items = reportedItems(services.env.TOKEN_PREFIX, credentials);
  const now = services.clock.now();
  const result = await services.db
    .transaction()
    .execute((tx: Executor) => revokeExposed(tx, items, { reporter, request, now }));
  await dropCachedTokens(services, result.revokedIds);
  return result.matchedHashes;
}
