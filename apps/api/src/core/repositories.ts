import {
  countReviewsOfRepository,
  deleteRepositoryById,
  type Executor,
  findRepositoryById,
  findRepositoryByIdForUpdate,
  insertRepository,
  type JsonObject,
  listRepositoryPage,
  type RepositoryRow,
  updateRepositoryById,
} from '@tollgate/db';
import type {
  TCreateRepositoryRequest,
  TListRepositoriesRequest,
  TUpdateRepositoryRequest,
} from '@tollgate/domain';
import {
  decodeCursor,
  encodeCursor,
  newId,
  TollgateError,
  type TRepository,
  type TReviewSettings,
  ZReviewSettingsSchema,
} from '@tollgate/domain';
import { recordAudit } from '../audit/record.ts';
import type { Services } from '../services.ts';
import { auditActorOf, type CallOptions, type OrganizationActor } from './actor.ts';
import { diffFields } from './field-diff.ts';
import { isUniqueViolation, organizationOf, type Page, toPage } from './product-common.ts';

const DEFAULT_REVIEW_SETTINGS: TReviewSettings = ZReviewSettingsSchema.parse({});

/** Stored settings with defaults for anything missing; a stored value that no longer parses is replaced by its default. */
export function resolveReviewSettings(stored: JsonObject): TReviewSettings {
  const parsed = ZReviewSettingsSchema.safeParse(stored);
  if (parsed.success) return parsed.data;
  const settings = { ...DEFAULT_REVIEW_SETTINGS };
  for (const key of Object.keys(settings) as (keyof TReviewSettings)[]) {
    const field = ZReviewSettingsSchema.shape[key].safeParse(stored[key]);
    if (field.success) Object.assign(settings, { [key]: field.data });
  }
  return settings;
}

export function toRepositoryObject(row: RepositoryRow): TRepository {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    defaultBranch: row.defaultBranch,
    reviewSettings: resolveReviewSettings(row.reviewSettings),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function repositoryNotFound(): TollgateError {
  return new TollgateError('NOT_FOUND', 'No repository with that id was found.');
}

function nameTaken(name: string): TollgateError {
  return new TollgateError('CONFLICT', `A repository named "${name}" already exists in this organisation.`, [
    { path: 'name', message: 'Already taken' },
  ]);
}

/** A page of the organisation's repositories in name order. */
export async function listRepositories(
  services: Services,
  actor: OrganizationActor,
  input: TListRepositoriesRequest,
): Promise<Page<TRepository>> {
  const organizationId = organizationOf(actor);
  const afterName = input.cursor === undefined ? undefined : decodeCursor(input.cursor, [/^.{1,100}$/s])[0];
  const rows = await listRepositoryPage(services.db, { organizationId, limit: input.limit + 1, afterName });
  return toPage(rows, input.limit, toRepositoryObject, (row) => encodeCursor([row.name]));
}

/** One repository of the actor's organisation; NOT_FOUND for any other. */
export async function getRepository(
  services: Services,
  actor: OrganizationActor,
  input: { id: string },
): Promise<TRepository> {
  const row = await findRepositoryById(services.db, organizationOf(actor), input.id);
  if (!row) throw repositoryNotFound();
  return toRepositoryObject(row);
}

/** Adds a repository and its `repository.created` audit entry in one transaction; a taken name is CONFLICT. */
export async function createRepository(
  services: Services,
  actor: OrganizationActor,
  input: TCreateRepositoryRequest,
  options: CallOptions = {},
): Promise<TRepository> {
  const organizationId = organizationOf(actor);
  const now = services.clock.now();
  try {
    const row = await services.db.transaction().execute(async (tx: Executor) => {
      const inserted = await insertRepository(tx, {
        id: newId('repository', now),
        organizationId,
        name: input.name,
        url: input.url ?? null,
        defaultBranch: input.defaultBranch,
        reviewSettings: input.reviewSettings,
        createdAt: now,
        updatedAt: now,
      });
      await recordAudit(tx, {
        organizationId,
        actor: auditActorOf(actor),
        action: 'repository.created',
        target: { type: 'repository', id: inserted.id },
        request: options.request ?? null,
        detail: {
          name: inserted.name,
          url: inserted.url,
          defaultBranch: inserted.defaultBranch,
          reviewSettings: input.reviewSettings,
        },
      });
      return inserted;
    });
    return toRepositoryObject(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(input.name);
    throw error;
  }
}

/**
 * Changes name, URL, default branch or review settings (merged field by field) with the
 * `repository.updated` audit entry in one transaction. Changing nothing writes nothing.
 */
export async function updateRepository(
  services: Services,
  actor: OrganizationActor,
  input: TUpdateRepositoryRequest,
  options: CallOptions = {},
): Promise<TRepository> {
  const organizationId = organizationOf(actor);
  const now = services.clock.now();
  try {
    const row = await services.db.transaction().execute(async (tx: Executor) => {
      const current = await findRepositoryByIdForUpdate(tx, organizationId, input.id);
      if (!current) throw repositoryNotFound();
      // Review settings as in force (defaults filled in), so that the audit entry shows what changed for real.
      const currentSettings = resolveReviewSettings(current.reviewSettings);
      let reviewSettings: TReviewSettings | undefined;
      if (input.reviewSettings !== undefined) {
        reviewSettings = { ...currentSettings };
        for (const [key, value] of Object.entries(input.reviewSettings)) {
          if (value !== undefined) Object.assign(reviewSettings, { [key]: value });
        }
      }
      const { changes, detail } = diffFields(
        { ...current, reviewSettings: currentSettings },
        { name: input.name, url: input.url, defaultBranch: input.defaultBranch, reviewSettings },
      );
      if (detail === null) return current;
      const updated = await updateRepositoryById(tx, organizationId, current.id, {
        ...changes,
        updatedAt: now,
      });
      if (!updated) throw repositoryNotFound();
      await recordAudit(tx, {
        organizationId,
        actor: auditActorOf(actor),
        action: 'repository.updated',
        target: { type: 'repository', id: current.id },
        request: options.request ?? null,
        detail: { name: updated.name, ...detail },
      });
      return updated;
    });
    return toRepositoryObject(row);
  } catch (error) {
    if (isUniqueViolation(error) && input.name !== undefined) throw nameTaken(input.name);
    throw error;
  }
}

/** Removes a repository (its reviews go with it) with the `repository.deleted` audit entry in one transaction. */
export async function deleteRepository(
  services: Services,
  actor: OrganizationActor,
  input: { id: string },
  options: CallOptions = {},
): Promise<void> {
  const organizationId = organizationOf(actor);
  await services.db.transaction().execute(async (tx: Executor) => {
    // Locked first, so no review can be triggered for it between the count and the delete.
    const current = await findRepositoryByIdForUpdate(tx, organizationId, input.id);
    if (!current) throw repositoryNotFound();
    const reviewsDeleted = await countReviewsOfRepository(tx, organizationId, current.id);
    const deleted = await deleteRepositoryById(tx, organizationId, current.id);
    if (!deleted) throw repositoryNotFound();
    await recordAudit(tx, {
      organizationId,
      actor: auditActorOf(actor),
      action: 'repository.deleted',
      target: { type: 'repository', id: deleted.id },
      request: options.request ?? null,
      detail: { name: deleted.name, reviewsDeleted },
    });
  });
}
