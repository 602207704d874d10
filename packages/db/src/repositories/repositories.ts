import { jsonb, type NewRepository, type RepositoryRow, type RepositoryUpdate } from '../tables/index.ts';
import type { Executor } from './executor.ts';

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
