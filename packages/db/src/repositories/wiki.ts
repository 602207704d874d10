import { sql } from 'kysely';
import type { WikiPageRow } from '../tables/index.ts';
import type { Executor } from './executor.ts';

/** A wiki page without its body, as lists show it. */
export type WikiPageSummaryRow = Omit<WikiPageRow, 'body'>;

export async function findWikiPageBySlug(
  db: Executor,
  organizationId: string,
  slug: string,
): Promise<WikiPageRow | undefined> {
  return db
    .selectFrom('wikiPages')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/**
 * One page of the organisation's wiki pages in slug order, without bodies; slugs are unique per
 * organisation, so the last slug of a page is where the next one starts.
 */
export async function listWikiPageSummaries(
  db: Executor,
  query: { organizationId: string; limit: number; afterSlug?: string | undefined },
): Promise<WikiPageSummaryRow[]> {
  let builder = db
    .selectFrom('wikiPages')
    .select(['id', 'organizationId', 'slug', 'title', 'updatedByActorId', 'createdAt', 'updatedAt'])
    .where('organizationId', '=', query.organizationId);
  if (query.afterSlug !== undefined) builder = builder.where('slug', '>', query.afterSlug);
  return builder.orderBy('slug').limit(query.limit).execute();
}

export interface UpsertWikiPage {
  /** Used only when the page is created. */
  id: string;
  organizationId: string;
  slug: string;
  title: string;
  body: string;
  updatedByActorId: string | null;
  now: Date;
}

/**
 * Creates the page or replaces its title and body, in one statement, so two concurrent first writes of a
 * slug cannot both insert. `created` tells which happened (a fresh row has xmax 0).
 */
export async function upsertWikiPage(
  db: Executor,
  page: UpsertWikiPage,
): Promise<{ row: WikiPageRow; created: boolean }> {
  const result = await db
    .insertInto('wikiPages')
    .values({
      id: page.id,
      organizationId: page.organizationId,
      slug: page.slug,
      title: page.title,
      body: page.body,
      updatedByActorId: page.updatedByActorId,
      createdAt: page.now,
      updatedAt: page.now,
    })
    .onConflict((oc) =>
      oc.columns(['organizationId', 'slug']).doUpdateSet({
        title: page.title,
        body: page.body,
        updatedByActorId: page.updatedByActorId,
        updatedAt: page.now,
      }),
    )
    .returningAll()
    .returning(sql<boolean>`(xmax = 0)`.as('created'))
    .executeTakeFirstOrThrow();
  const { created, ...row } = result;
  return { row, created };
}

/** Deletes the page; the deleted row, or undefined when there was none. */
export async function deleteWikiPageBySlug(
  db: Executor,
  organizationId: string,
  slug: string,
): Promise<WikiPageRow | undefined> {
  return db
    .deleteFrom('wikiPages')
    .where('organizationId', '=', organizationId)
    .where('slug', '=', slug)
    .returningAll()
    .executeTakeFirst();
}
