import { sql } from 'kysely';
import {
  jsonb,
  type NewRepository,
  type NewReview,
  type RepositoryRow,
  type RepositoryUpdate,
  type ReviewRow,
  type ReviewStatus,
  type ReviewUpdate,
} from '../tables/index.ts';
import type { Executor } from './executor.ts';

// ------------------------------------------------------------------------------------------- repositories

/** Inserts a repository; a name the organisation already uses fails with a unique violation (23505). */
export async function insertRepository(db: Executor, repository: NewRepository): Promise<RepositoryRow> {
  return db
    .insertInto('repositories')
    .values({
      ...repository,
      reviewSettings: repository.reviewSettings === undefined ? undefined : jsonb(repository.reviewSettings),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findRepositoryById(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<RepositoryRow | undefined> {
  return db
    .selectFrom('repositories')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The repository, locked for the rest of the transaction, so that concurrent changes to it queue up. */
export async function findRepositoryByIdForUpdate(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<RepositoryRow | undefined> {
  return db
    .selectFrom('repositories')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * The repository, held for the rest of the transaction against deletion (FOR KEY SHARE): what a review
 * insert needs, without queueing behind other reviews of the same repository.
 */
export async function findRepositoryByIdForKeyShare(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<RepositoryRow | undefined> {
  return db
    .selectFrom('repositories')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .forKeyShare()
    .executeTakeFirst();
}

/**
 * One page of an organisation's repositories in name order; names are unique per organisation, so the
 * last name of a page is where the next one starts. Fetches `limit` rows: ask for one more than you show.
 */
export async function listRepositoryPage(
  db: Executor,
  query: { organizationId: string; limit: number; afterName?: string | undefined },
): Promise<RepositoryRow[]> {
  let builder = db.selectFrom('repositories').selectAll().where('organizationId', '=', query.organizationId);
  if (query.afterName !== undefined) builder = builder.where('name', '>', query.afterName);
  return builder.orderBy('name').limit(query.limit).execute();
}

/** Applies the changes; undefined when the organisation has no such repository. */
export async function updateRepositoryById(
  db: Executor,
  organizationId: string,
  id: string,
  changes: RepositoryUpdate,
): Promise<RepositoryRow | undefined> {
  return db
    .updateTable('repositories')
    .set({
      ...changes,
      reviewSettings: changes.reviewSettings === undefined ? undefined : jsonb(changes.reviewSettings),
    })
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes the repository and (by cascade) its reviews; the deleted row, or undefined when there was none. */
export async function deleteRepositoryById(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<RepositoryRow | undefined> {
  return db
    .deleteFrom('repositories')
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

// ------------------------------------------------------------------------------------------------ reviews

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

const REVIEW_STATUSES: readonly ReviewStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled'];

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

// ------------------------------------------------------------------------------------------ organisation

export interface OrganizationCounts {
  repositories: number;
  members: number;
  /** Tokens that would be accepted at `now`: not revoked, active, not expired. */
  activeTokens: number;
  creditBalance: number;
}

/** The numbers of the organisation's stats page that are not about reviews or usage, in one round trip. */
export async function organizationCounts(
  db: Executor,
  organizationId: string,
  now: Date,
): Promise<OrganizationCounts | undefined> {
  const row = await db
    .selectFrom('organizations as o')
    .select((eb) => [
      'o.creditBalance',
      eb
        .selectFrom('repositories')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('organizationId', '=', organizationId)
        .as('repositories'),
      eb
        .selectFrom('memberships')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('organizationId', '=', organizationId)
        .as('members'),
      eb
        .selectFrom('tokens')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('organizationId', '=', organizationId)
        .where('revokedAt', 'is', null)
        .where('active', '=', true)
        .where((w) => w.or([w('expiresAt', 'is', null), w('expiresAt', '>', now)]))
        .as('activeTokens'),
    ])
    .where('o.id', '=', organizationId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    repositories: Number(row.repositories ?? 0),
    members: Number(row.members ?? 0),
    activeTokens: Number(row.activeTokens ?? 0),
    creditBalance: Number(row.creditBalance),
  };
}
