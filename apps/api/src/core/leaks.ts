import {
  claimPendingLeakReport,
  type Executor,
  findTokensByHashesForUpdate,
  insertLeakReport,
  type LeakReporter,
  type LeakReportItem,
  markLeakReportProcessed,
  revokeTokenIfNotRevoked,
  type TokenRow,
} from '@tollgate/db';
import { hashToken, newId, PUBLIC_LEAK_REPORTS_PER_HOUR, parseToken, TollgateError } from '@tollgate/domain';
import type { Logger } from 'pino';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { AuditActor } from '../audit/record.ts';
import { recordAudit } from '../audit/record.ts';
import { DatabaseOutageLog } from '../database-outage.ts';
import type { Services } from '../services.ts';
import type { RequestInfo } from '../trpc/context.ts';
import { enqueueWebhookEvent } from '../webhooks/outbox.ts';
import { publishAfterCommit } from './publish.ts';
import { toTokenObject } from './token-object.ts';

export type { LeakReporter } from '@tollgate/db';

/** A credential someone reports as exposed, and where it was found (GitHub's report says both). */
export interface ReportedCredential {
  token: string;
  url?: string | undefined;
  source?: string | undefined;
}

type ReportRequest = Pick<RequestInfo, 'ip' | 'userAgent'> & Partial<Pick<RequestInfo, 'requestId'>>;

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

function reporterActor(reporter: LeakReporter): AuditActor {
  return { type: 'system', id: reporter, userId: null };
}

/**
 * Revokes, in the caller's transaction, every live token that one of the items opens (its current secret, or
 * the previous one during a rotation grace), with reason `exposed`: a `token.revoked` audit entry by the
 * reporter (with where the token was found) and the `token.exposed` and `token.revoked` events. Returns the
 * tokens the items matched, revoked before or now, and the ids revoked now (their caches must be dropped
 * after the commit).
 */
async function revokeExposed(
  tx: Executor,
  items: readonly LeakReportItem[],
  report: { reporter: LeakReporter; request: ReportRequest | null; now: Date },
): Promise<{ matched: TokenRow[]; revokedIds: string[]; matchedHashes: Set<string> }> {
  const byHash = new Map(items.map((item) => [item.hash, item]));
  const matched = await findTokensByHashesForUpdate(tx, [...byHash.keys()], report.now);
  const revokedIds: string[] = [];
  const matchedHashes = new Set<string>();
  for (const token of matched) {
    const item = byHash.get(token.hash) ?? byHash.get(token.previousHash ?? '');
    if (item) matchedHashes.add(item.hash);
    if (token.revokedAt !== null) continue;
    const revoked = await revokeTokenIfNotRevoked(tx, token.organizationId, token.id, report.now, 'exposed');
    if (!revoked) continue;
    revokedIds.push(revoked.id);
    const where = { reportedBy: report.reporter, url: item?.url ?? null, source: item?.source ?? null };
    await recordAudit(tx, {
      organizationId: revoked.organizationId,
      actor: reporterActor(report.reporter),
      action: 'token.revoked',
      target: { type: 'token', id: revoked.id },
      request: report.request,
      detail: { name: revoked.name, prefix: revoked.prefix, reason: 'exposed', ...where },
    });
    const tokenObject = { ...toTokenObject(revoked, report.now) };
    await enqueueWebhookEvent(tx, {
      organizationId: revoked.organizationId,
      type: 'token.exposed',
      payload: { token: tokenObject, ...where },
      at: report.now,
    });
    await enqueueWebhookEvent(tx, {
      organizationId: revoked.organizationId,
      type: 'token.revoked',
      payload: { token: tokenObject, reason: 'exposed' },
      at: report.now,
    });
  }
  return { matched, revokedIds, matchedHashes };
}

async function dropCachedTokens(services: Services, ids: readonly string[]): Promise<void> {
  for (const tokenId of ids) await publishAfterCommit(services, { kind: 'token', tokenId });
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

/**
 * Works through the stored leak reports, oldest first, one transaction per report (its revocations and
 * its being marked processed commit together, so a failure midway loses nothing and revokes nothing twice).
 * Returns how many tokens were revoked.
 */
export async function processLeakReports(services: Services): Promise<number> {
  let revoked = 0;
  for (;;) {
    const now = services.clock.now();
    const result = await services.db.transaction().execute(async (tx: Executor) => {
      const report = await claimPendingLeakReport(tx);
      if (!report) return null;
      const outcome = await revokeExposed(tx, report.items, {
        reporter: report.reporter,
        request: { ip: report.ip ?? '', userAgent: report.userAgent },
        now,
      });
      await markLeakReportProcessed(tx, report.id, now);
      return outcome;
    });
    if (result === null) return revoked;
    await dropCachedTokens(services, result.revokedIds);
    revoked += result.revokedIds.length;
  }
}

/**
 * Runs the leak-report processing every `intervalMs` (1 s: a reported token is refused everywhere about a
 * second after the report), and at once on kick(); one run at a time. Whichever process runs it first takes
 * a report; one that stopped or lost its database midway leaves it for the next.
 */
export class LeakReportJob {
  readonly #run: () => Promise<unknown>;
  readonly #log: Logger;
  readonly #intervalMs: number;
  readonly #outage: DatabaseOutageLog;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;

  constructor(options: { run: () => Promise<unknown>; log: Logger; intervalMs?: number }) {
    this.#run = options.run;
    this.#log = options.log;
    this.#intervalMs = options.intervalMs ?? 1_000;
    this.#outage = new DatabaseOutageLog(options.log, 'leak-report job');
  }

  /** Starts the periodic run (idempotent); the timer never keeps the process alive. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.kick(), this.#intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.idle();
  }

  /** Processes pending reports now, or right after the run in progress. */
  kick(): void {
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#running = this.#once().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.kick();
      }
    });
  }

  /** Resolves when no run is in progress or due. */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  async #once(): Promise<void> {
    try {
      await this.#run();
      this.#outage.succeeded();
    } catch (error) {
      if (!this.#outage.failed(error)) this.#log.error({ err: error }, 'leak-report job failed');
    }
  }
}
