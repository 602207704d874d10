import { REVIEW_STATUSES } from '@tollgate/domain';
import { sql } from 'kysely';
import {
  jsonb,
  type NewReview,
  type ReviewRow,
  type ReviewStatus,
  type ReviewUpdate,
} from '../tables/index.ts';
import type { Executor } from './executor.ts';

/** Where a page of reviews starts: just after the row with this creation time (µs since epoch) and id. */
export interface ReviewListPosition {
  /** created_at in whole microseconds since the Unix epoch, as a decimal string (exact, unlike a Date). */
  createdAtMicros: string;
  id: string;
}

export interface ReviewListRow extends ReviewRow {
  /** This row's position, for the cursor of the page that follows it. */
  createdAtMicros: string;
}

export async function insertReview(db: Executor, review: NewReview): Promise<ReviewRow> {
  return db
    .insertInto('reviews')
    .values({ ...review, findings: review.findings === undefined ? undefined : jsonb(review.findings) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findReviewById(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<ReviewRow | undefined> {
  return db
    .selectFrom('reviews')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The review, locked for the rest of the transaction, so that concurrent status changes queue up. */
export async function findReviewByIdForUpdate(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<ReviewRow | undefined> {
  return db
    .selectFrom('reviews')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * One page of an organisation's reviews, newest first (created_at desc, id desc, the order of the
 * (organization_id, created_at desc, id desc) index), optionally of one repository and one status.
 */
export async function listReviewPage(
  db: Executor,
  query: {
    organizationId: string;
    repositoryId?: string | undefined;
    status?: ReviewStatus | undefined;
    limit: number;
    after?: ReviewListPosition | undefined;
  },
): Promise<ReviewListRow[]> {
  let builder = db
    .selectFrom('reviews')
    .selectAll()
    .select(sql<string>`((extract(epoch from created_at) * 1000000)::bigint)::text`.as('createdAtMicros'))
    .where('organizationId', '=', query.organizationId);
  if (query.repositoryId !== undefined) builder = builder.where('repositoryId', '=', query.repositoryId);
  if (query.status !== undefined) builder = builder.where('status', '=', query.status);
  if (query.after !== undefined) {
    const { createdAtMicros, id } = query.after;
    builder = builder.where(
      sql<boolean>`(created_at, id) < (timestamptz 'epoch' + ${createdAtMicros}::bigint * interval '1 microsecond', ${id})`,
    );
  }
  return builder.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
}

/** Applies the changes; undefined when the organisation has no such review. */
export async function updateReviewById(
  db: Executor,
  organizationId: string,
  id: string,
  changes: ReviewUpdate,
): Promise<ReviewRow | undefined> {
  return db
    .updateTable('reviews')
    .set({ ...changes, findings: changes.findings === undefined ? undefined : jsonb(changes.findings) })
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function countReviewsOfRepository(
  db: Executor,
  organizationId: string,
  repositoryId: string,
): Promise<number> {
  const row = await db
    .selectFrom('reviews')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('organizationId', '=', organizationId)
    .where('repositoryId', '=', repositoryId)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

export interface ReviewStatistics {
  byStatus: Record<ReviewStatus, number>;
  total: number;
  /** Mean number of findings of completed reviews; null when none has completed. */
  averageFindings: number | null;
  /** Sum of creditsCharged over the reviews counted. */
  creditsSpent: number;
}

/** Counts, average findings and credits of an organisation's reviews (optionally of one repository). */
export async function reviewStatistics(
  db: Executor,
  query: { organizationId: string; repositoryId?: string | undefined },
): Promise<ReviewStatistics> {
  let builder = db
    .selectFrom('reviews')
    .select([
      'status',
      sql<number>`count(*)::int`.as('count'),
      sql<number>`coalesce(sum(credits_charged), 0)::bigint`.as('credits'),
      sql<number>`coalesce(sum(jsonb_array_length(findings)), 0)::bigint`.as('findings'),
    ])
    .where('organizationId', '=', query.organizationId);
  if (query.repositoryId !== undefined) builder = builder.where('repositoryId', '=', query.repositoryId);
  const rows = await builder.groupBy('status').execute();

  const byStatus = Object.fromEntries(REVIEW_STATUSES.map((status) => [status, 0])) as Record<
    ReviewStatus,
    number
  >;
  let total = 0;
  let creditsSpent = 0;
  let completedFindings = 0;
  for (const row of rows) {
    byStatus[row.status] = Number(row.count);
    total += Number(row.count);
    creditsSpent += Number(row.credits);
    if (row.status === 'completed') completedFindings = Number(row.findings);
  }
  return {
    byStatus,
    total,
    averageFindings: byStatus.completed === 0 ? null : completedFindings / byStatus.completed,
    creditsSpent,
  };
}
