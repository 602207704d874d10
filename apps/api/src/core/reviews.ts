import {
  debitCredits,
  type Executor,
  findCreditBalance,
  findRepositoryByIdForKeyShare,
  findReviewById,
  findReviewByIdForUpdate,
  insertCreditLedgerEntry,
  insertReview,
  type JsonArray,
  listReviewPage,
  type ReviewRow,
  type ReviewUpdate,
  reviewStatistics,
  updateReviewById,
} from '@tollgate/db';
import type {
  TFinding,
  TListReviewsRequest,
  TReview,
  TReviewStatsRequest,
  TReviewStatsResponse,
  TReviewStatus,
  TTriggerReviewRequest,
  TUpdateReviewRequest,
} from '@tollgate/domain';
import {
  CREDITS_LOW_THRESHOLD,
  CURSOR_ID,
  CURSOR_MICROS,
  crossesCreditsLow,
  decodeCursor,
  encodeCursor,
  newId,
  REVIEW_CREDIT_COST,
  TollgateError,
} from '@tollgate/domain';
import { recordAudit } from '../audit/record.ts';
import type { Services } from '../services.ts';
import { enqueueWebhookEvent } from '../webhooks/outbox.ts';
import { auditActorOf, type CallOptions, type OrganizationActor } from './actor.ts';
import { actingId, organizationOf, type Page, toPage } from './product-common.ts';
import { repositoryNotFound } from './repositories.ts';

/**
 * The statuses a review may move to from each status. A review is queued when triggered, the review
 * engine moves it to running and then to completed or failed; it can be cancelled until it finishes.
 */
export const REVIEW_TRANSITIONS: Readonly<Record<TReviewStatus, readonly TReviewStatus[]>> = {
  queued: ['running', 'cancelled'],
  running: ['completed', 'failed', 'cancelled'],
  completed: [],
  failed: [],
  cancelled: [],
};

/** Whether a review in this status is finished for good. */
export function isFinalReviewStatus(status: TReviewStatus): boolean {
  return REVIEW_TRANSITIONS[status].length === 0;
}

function iso(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

export function toReviewObject(row: ReviewRow): TReview {
  return {
    id: row.id,
    repositoryId: row.repositoryId,
    pullRequest: row.pullRequest,
    title: row.title,
    status: row.status,
    // Written only through the findings schema of reviews.update.
    findings: row.findings as unknown as TFinding[],
    creditsCharged: row.creditsCharged,
    createdBy: row.createdByActorId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    completedAt: iso(row.completedAt),
  };
}

function reviewNotFound(): TollgateError {
  return new TollgateError('NOT_FOUND', 'No review with that id was found.');
}

/** A page of the organisation's reviews, newest first, optionally of one repository and one status. */
export async function listReviews(
  services: Services,
  actor: OrganizationActor,
  input: TListReviewsRequest,
): Promise<Page<TReview>> {
  const organizationId = organizationOf(actor);
  const after =
    input.cursor === undefined ? undefined : decodeCursor(input.cursor, [CURSOR_MICROS, CURSOR_ID]);
  const rows = await listReviewPage(services.db, {
    organizationId,
    repositoryId: input.repositoryId,
    status: input.status,
    limit: input.limit + 1,
    after: after === undefined ? undefined : { createdAtMicros: after[0] as string, id: after[1] as string },
  });
  return toPage(rows, input.limit, toReviewObject, (row) => encodeCursor([row.createdAtMicros, row.id]));
}

/** One review of the actor's organisation; NOT_FOUND for any other. */
export async function getReview(
  services: Services,
  actor: OrganizationActor,
  input: { id: string },
): Promise<TReview> {
  const row = await findReviewById(services.db, organizationOf(actor), input.id);
  if (!row) throw reviewNotFound();
  return toReviewObject(row);
}

/** Counts by status, average findings of completed reviews and credits spent (optionally of one repository). */
export async function getReviewStats(
  services: Services,
  actor: OrganizationActor,
  input: TReviewStatsRequest,
): Promise<TReviewStatsResponse> {
  const stats = await reviewStatistics(services.db, {
    organizationId: organizationOf(actor),
    repositoryId: input.repositoryId,
  });
  return {
    total: stats.total,
    byStatus: stats.byStatus,
    averageFindings: stats.averageFindings === null ? null : Math.round(stats.averageFindings * 100) / 100,
    creditsSpent: stats.creditsSpent,
  };
}

function creditWord(count: number): string {
  return count === 1 ? 'credit' : 'credits';
}

/**
 * Queues a review and pays for it, in one transaction: the repository is held against deletion, the
 * organisation's balance is debited by REVIEW_CREDIT_COST only if it covers it (one conditional UPDATE, so
 * concurrent triggers can never overdraw it), and the review, its ledger entry and its `review.triggered`
 * audit entry are written with it. Too few credits: INSUFFICIENT_CREDITS (402) and nothing is written.
 */
export async function triggerReview(
  services: Services,
  actor: OrganizationActor,
  input: TTriggerReviewRequest,
  options: CallOptions = {},
): Promise<TReview> {
  const organizationId = organizationOf(actor);
  const now = services.clock.now();
  const cost = REVIEW_CREDIT_COST;
  const row = await services.db.transaction().execute(async (tx: Executor) => {
    const repository = await findRepositoryByIdForKeyShare(tx, organizationId, input.repositoryId);
    if (!repository) throw repositoryNotFound();
    const balanceAfter = await debitCredits(tx, organizationId, cost);
    if (balanceAfter === undefined) {
      const balance = (await findCreditBalance(tx, organizationId)) ?? 0;
      throw new TollgateError(
        'INSUFFICIENT_CREDITS',
        `A review costs ${cost} ${creditWord(cost)} and the organisation has ${balance}. Purchase credits and try again.`,
      );
    }
    const review = await insertReview(tx, {
      id: newId('review', now),
      organizationId,
      repositoryId: repository.id,
      pullRequest: input.pullRequest ?? null,
      title: input.title,
      status: 'queued',
      creditsCharged: cost,
      createdByActorId: actingId(actor),
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    });
    const entry = await insertCreditLedgerEntry(tx, {
      id: newId('credit', now),
      organizationId,
      amount: -cost,
      reason: 'review',
      referenceId: review.id,
      actorId: actingId(actor),
      createdAt: now,
    });
    await recordAudit(tx, {
      organizationId,
      actor: auditActorOf(actor),
      action: 'review.triggered',
      target: { type: 'review', id: review.id },
      request: options.request ?? null,
      detail: {
        repositoryId: repository.id,
        repositoryName: repository.name,
        pullRequest: review.pullRequest,
        title: review.title,
        creditsCharged: cost,
        balanceAfter,
        ledgerEntryId: entry.id,
      },
    });
    await enqueueWebhookEvent(tx, {
      organizationId,
      type: 'review.queued',
      payload: { review: { ...toReviewObject(review) } },
      at: now,
    });
    if (crossesCreditsLow(balanceAfter + cost, balanceAfter)) {
      await enqueueWebhookEvent(tx, {
        organizationId,
        type: 'credits.low',
        payload: { balance: balanceAfter, threshold: CREDITS_LOW_THRESHOLD },
        at: now,
      });
    }
    return review;
  });
  return toReviewObject(row);
}

/**
 * Moves a review along REVIEW_TRANSITIONS and/or replaces its findings, with the `review.updated` audit
 * entry, in one transaction with the review locked. A move the table does not allow, or any change to a
 * finished review, is CONFLICT. Reaching a final status sets completedAt.
 */
export async function updateReview(
  services: Services,
  actor: OrganizationActor,
  input: TUpdateReviewRequest,
  options: CallOptions = {},
): Promise<TReview> {
  const organizationId = organizationOf(actor);
  const now = services.clock.now();
  const row = await services.db.transaction().execute(async (tx: Executor) => {
    const current = await findReviewByIdForUpdate(tx, organizationId, input.id);
    if (!current) throw reviewNotFound();
    if (isFinalReviewStatus(current.status)) {
      throw new TollgateError(
        'CONFLICT',
        `This review is ${current.status}; a finished review cannot change.`,
      );
    }
    const status = input.status ?? current.status;
    if (status !== current.status && !REVIEW_TRANSITIONS[current.status].includes(status)) {
      throw new TollgateError(
        'CONFLICT',
        `A ${current.status} review cannot become ${status}; it can become ${REVIEW_TRANSITIONS[current.status].join(' or ')}.`,
        [{ path: 'status', message: `Not allowed from ${current.status}` }],
      );
    }
    const changes: ReviewUpdate = { updatedAt: now };
    if (status !== current.status) changes.status = status;
    if (isFinalReviewStatus(status)) changes.completedAt = now;
    if (input.findings !== undefined) changes.findings = input.findings as unknown as JsonArray;
    const updated = await updateReviewById(tx, organizationId, current.id, changes);
    if (!updated) throw reviewNotFound();
    await recordAudit(tx, {
      organizationId,
      actor: auditActorOf(actor),
      action: 'review.updated',
      target: { type: 'review', id: current.id },
      request: options.request ?? null,
      detail: {
        repositoryId: current.repositoryId,
        fromStatus: current.status,
        toStatus: status,
        findings: input.findings?.length ?? null,
      },
    });
    if (updated.status === 'completed' && current.status !== 'completed') {
      await enqueueWebhookEvent(tx, {
        organizationId,
        type: 'review.completed',
        payload: { review: { ...toReviewObject(updated) } },
        at: now,
      });
    }
    return updated;
  });
  return toReviewObject(row);
}
