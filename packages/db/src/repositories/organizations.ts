import { sql } from 'kysely';
import {
  jsonb,
  type NewOrganization,
  type OrganizationRow,
  type OrganizationUpdate,
} from '../tables/index.ts';
import type { Executor } from './executor.ts';

export async function insertOrganization(
  db: Executor,
  organization: NewOrganization,
): Promise<OrganizationRow> {
  return db
    .insertInto('organizations')
    .values({ ...organization, policy: organization.policy && jsonb(organization.policy) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findOrganizationById(db: Executor, id: string): Promise<OrganizationRow | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOrganizationBySlug(
  db: Executor,
  slug: string,
): Promise<OrganizationRow | undefined> {
  return db.selectFrom('organizations').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Applies the changes and bumps updatedAt; undefined when there is no such organisation. */
export async function updateOrganization(
  db: Executor,
  id: string,
  changes: OrganizationUpdate,
): Promise<OrganizationRow | undefined> {
  return db
    .updateTable('organizations')
    .set({
      updatedAt: sql<Date>`now()`,
      ...changes,
      policy: changes.policy && jsonb(changes.policy),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
