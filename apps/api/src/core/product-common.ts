import { type Page, TollgateError } from '@tollgate/domain';
import { auditActorOf, type OrganizationActor } from './actor.ts';

/**
 * What the product resources (repositories, reviews, billing, wiki, stats) share: who acts, where the
 * request came from, and opaque list cursors.
 */

/** The organisation an actor acts in; a principal is only ever shown its own organisation's resources. */
export function organizationOf(actor: OrganizationActor): string {
  if (actor.organizationId === null) {
    throw new TollgateError('FORBIDDEN', 'You are not a member of any organisation.');
  }
  return actor.organizationId;
}

/** The id stored as "created by" / "updated by": the user or token acting, null for the system. */
export function actingId(actor: OrganizationActor): string | null {
  return auditActorOf(actor).id;
}

export type { Page } from '@tollgate/domain';

/** Turns rows fetched with limit + 1 into a page; `cursorOf` gives the cursor after a row. */
export function toPage<R, T>(
  rows: readonly R[],
  limit: number,
  toObject: (row: R) => T,
  cursorOf: (row: R) => string,
): Page<T> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(toObject),
    nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null,
  };
}

/** Whether a database error is a unique violation (SQLSTATE 23505), on both engines. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** 'YYYY-MM-DD' of a time, in UTC. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

/** The `count` UTC days ending with the day of `now`, oldest first. */
export function lastUtcDays(now: Date, count: number): string[] {
  const today = Date.parse(`${utcDay(now)}T00:00:00.000Z`);
  return Array.from({ length: count }, (_, index) => utcDay(new Date(today - (count - 1 - index) * DAY_MS)));
}
