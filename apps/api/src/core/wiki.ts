import {
  deleteWikiPageBySlug,
  type Executor,
  findWikiPageBySlug,
  listWikiPageSummaries,
  upsertWikiPage,
  type WikiPageRow,
  type WikiPageSummaryRow,
} from '@tollgate/db';
import type {
  TListWikiPagesRequest,
  TPutWikiPageRequest,
  TWikiPage,
  TWikiPageSummary,
} from '@tollgate/domain';
import { decodeCursor, encodeCursor, newId, TollgateError } from '@tollgate/domain';
import { recordAudit } from '../audit/record.ts';
import type { Services } from '../services.ts';
import { auditActorOf, type CallOptions, type OrganizationActor } from './actor.ts';
import { actingId, organizationOf, type Page, toPage } from './product-common.ts';

const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,99}$/;

export function toWikiPageSummary(row: WikiPageSummaryRow): TWikiPageSummary {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    updatedBy: row.updatedByActorId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toWikiPageObject(row: WikiPageRow): TWikiPage {
  return { ...toWikiPageSummary(row), body: row.body };
}

function pageNotFound(slug: string): TollgateError {
  return new TollgateError('NOT_FOUND', `There is no wiki page "${slug}".`);
}

/** A page of the organisation's wiki pages in slug order, without bodies. */
export async function listWikiPages(
  services: Services,
  actor: OrganizationActor,
  input: TListWikiPagesRequest,
): Promise<Page<TWikiPageSummary>> {
  const organizationId = organizationOf(actor);
  const afterSlug = input.cursor === undefined ? undefined : decodeCursor(input.cursor, [SLUG_PATTERN])[0];
  const rows = await listWikiPageSummaries(services.db, {
    organizationId,
    limit: input.limit + 1,
    afterSlug,
  });
  return toPage(rows, input.limit, toWikiPageSummary, (row) => encodeCursor([row.slug]));
}

/** One page of the actor's organisation's wiki; NOT_FOUND when it has none with that slug. */
export async function getWikiPage(
  services: Services,
  actor: OrganizationActor,
  input: { slug: string },
): Promise<TWikiPage> {
  const row = await findWikiPageBySlug(services.db, organizationOf(actor), input.slug);
  if (!row) throw pageNotFound(input.slug);
  return toWikiPageObject(row);
}

/**
 * Creates the page or replaces its title and body (PUT), with the `wiki.page_updated` audit entry in one
 * transaction. Writing exactly what is stored changes nothing and records nothing.
 */
export async function putWikiPage(
  services: Services,
  actor: OrganizationActor,
  input: TPutWikiPageRequest,
  options: CallOptions = {},
): Promise<TWikiPage> {
  const organizationId = organizationOf(actor);
  const now = services.clock.now();
  const row = await services.db.transaction().execute(async (tx: Executor) => {
    const current = await findWikiPageBySlug(tx, organizationId, input.slug);
    if (current && current.title === input.title && current.body === input.body) return current;
    const { row: written, created } = await upsertWikiPage(tx, {
      id: newId('wiki', now),
      organizationId,
      slug: input.slug,
      title: input.title,
      body: input.body,
      updatedByActorId: actingId(actor),
      now,
    });
    await recordAudit(tx, {
      organizationId,
      actor: auditActorOf(actor),
      action: 'wiki.page_updated',
      target: { type: 'wiki_page', id: written.id },
      request: options.request ?? null,
      detail: {
        slug: written.slug,
        title: written.title,
        created,
        ...(current && current.title !== written.title ? { previousTitle: current.title } : {}),
        bodyLength: written.body.length,
      },
    });
    return written;
  });
  return toWikiPageObject(row);
}

/** Deletes the page with the `wiki.page_deleted` audit entry in one transaction. */
export async function deleteWikiPage(
  services: Services,
  actor: OrganizationActor,
  input: { slug: string },
  options: CallOptions = {},
): Promise<void> {
  const organizationId = organizationOf(actor);
  await services.db.transaction().execute(async (tx: Executor) => {
    const deleted = await deleteWikiPageBySlug(tx, organizationId, input.slug);
    if (!deleted) throw pageNotFound(input.slug);
    await recordAudit(tx, {
      organizationId,
      actor: auditActorOf(actor),
      action: 'wiki.page_deleted',
      target: { type: 'wiki_page', id: deleted.id },
      request: options.request ?? null,
      detail: { slug: deleted.slug, title: deleted.title },
    });
  });
}
