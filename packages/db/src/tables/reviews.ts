import type { ReviewStatus } from '@tollgate/domain';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { JsonArray } from './json.ts';

/** The domain's review statuses; the CHECK constraint on reviews.status lists the same names. */
export type { ReviewStatus };

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

export type ReviewRow = Selectable<ReviewsTable>;
export type NewReview = Insertable<ReviewsTable>;
export type ReviewUpdate = Updateable<ReviewsTable>;
