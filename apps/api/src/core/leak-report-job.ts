import {
  claimPendingLeakReport,
  type Database,
  type Executor,
  findTokensByHashesForUpdate,
  type LeakReporter,
  type LeakReportItem,
  markLeakReportProcessed,
  revokeTokenIfNotRevoked,
} from '@tollgate/db';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AuditActor } from '../audit/record.ts';
import { recordAudit } from '../audit/record.ts';
import type { Clock } from '../clock.ts';
import { DatabaseOutageLog } from '../database-outage.ts';
import type { Invalidation } from '../invalidation.ts';
import type { RequestInfo } from '../request-info.ts';
import { enqueueWebhookEvent } from '../webhooks/outbox.ts';
import { publishAfterCommit } from './publish.ts';
import { toTokenObject } from './token-object.ts';

/** What revoking reported tokens needs: the database, the time, and the caches of every process to drop. */
export interface LeakReportDeps {
  db: Kysely<Database>;
  clock: Clock;
  invalidation: Pick<Invalidation, 'publish'>;
  log: Logger;
}

export type ReportRequest = Pick<RequestInfo, 'ip' | 'userAgent'> & Partial<Pick<RequestInfo, 'requestId'>>;

function reporterActor(reporter: LeakReporter): AuditActor {
  return { type: 'system', id: reporter, userId: null };
}

/**
 * Revokes, in the caller's transaction, every live token that one of the items opens (its current secret, or
 * the previous one during a rotation grace), with reason `exposed`: a `token.revoked` audit entry by the
 * reporter (with where the token was found) and the `token.exposed` and `token.revoked` events. Returns the
 * hashes that matched a token (revoked before or now) and the ids revoked now (their caches must be dropped
 * after the commit).
 */
export async function revokeExposed(
  tx: Executor,
  items: readonly LeakReportItem[],
  report: { reporter: LeakReporter; request: ReportRequest | null; now: Date },
): Promise<{ revokedIds: string[]; matchedHashes: Set<string> }> {
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
  return { revokedIds, matchedHashes };
}

export async function dropCachedTokens(deps: LeakReportDeps, ids: readonly string[]): Promise<void> {
  for (const tokenId of ids) await publishAfterCommit(deps, { kind: 'token', tokenId });
}

/**
 * Works through the stored leak reports, oldest first, one transaction per report (its revocations and
 * its being marked processed commit together, so a failure midway loses nothing and revokes nothing twice).
 * Returns how many tokens were revoked.
 */
export async function processLeakReports(deps: LeakReportDeps): Promise<number> {
  let revoked = 0;
  for (;;) {
    const now = deps.clock.now();
    const result = await deps.db.transaction().execute(async (tx: Executor) => {
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
    await dropCachedTokens(deps, result.revokedIds);
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
