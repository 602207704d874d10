import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { JsonArray, JsonObject } from './json.ts';

/** Mirrors the CHECK constraint on reviews.status. */
export type ReviewStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
/** Mirrors the CHECK constraint on credit_ledger.reason. */
export type CreditReason = 'purchase' | 'review' | 'grant' | 'refund';

export interface RepositoriesTable {
  id: string;
  organizationId: string;
  name: string;
  url: string | null;
  defaultBranch: Generated<string>;
  reviewSettings: Generated<JsonObject>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface ReviewsTable {
  id: string;
  organizationId: string;
  /** Must belong to the same organisation (composite foreign key). */
  repositoryId: string;
  pullRequest: number | null;
  title: string;
  status: Generated<ReviewStatus>;
  findings: Generated<JsonArray>;
  creditsCharged: Generated<number>;
  createdByActorId: string | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
  completedAt: Date | null;
}

export interface CreditLedgerTable {
  id: string;
  organizationId: string;
  /** Positive for credits added, negative for credits spent; never 0. */
  amount: number;
  reason: CreditReason;
  referenceId: string | null;
  actorId: string | null;
  createdAt: Generated<Date>;
}

export interface WikiPagesTable {
  id: string;
  organizationId: string;
  slug: string;
  title: string;
  body: Generated<string>;
  updatedByActorId: string | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export type RepositoryRow = Selectable<RepositoriesTable>;
export type NewRepository = Insertable<RepositoriesTable>;
export type RepositoryUpdate = Updateable<RepositoriesTable>;

export type ReviewRow = Selectable<ReviewsTable>;
export type NewReview = Insertable<ReviewsTable>;
export type ReviewUpdate = Updateable<ReviewsTable>;

export type CreditLedgerEntryRow = Selectable<CreditLedgerTable>;
export type NewCreditLedgerEntry = Insertable<CreditLedgerTable>;

export type WikiPageRow = Selectable<WikiPagesTable>;
export type NewWikiPage = Insertable<WikiPagesTable>;
export type WikiPageUpdate = Updateable<WikiPagesTable>;
