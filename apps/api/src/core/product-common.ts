import { TollgateError } from '@tollgate/domain';
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

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** An opaque cursor for a list position made of a few strings. */
export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/**
 * The parts of a cursor made by encodeCursor with `count` parts, each matching its pattern;
 * VALIDATION_FAILED for anything else, so a forged cursor never reaches a query.
 */
export function decodeCursor(cursor: string, patterns: readonly RegExp[]): string[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === patterns.length &&
      value.every((part, index) => typeof part === 'string' && patterns[index]?.test(part) === true)
    ) {
      return value as string[];
    }
  } catch {
    // Falls through to the error below.
  }
  throw new TollgateError('VALIDATION_FAILED', 'The cursor is not valid; start again without it.', [
    { path: 'cursor', message: 'Not a cursor returned by this list' },
  ]);
}

/** Cursor part patterns: µs since the epoch, and an id of any kind. */
export const MICROS_PATTERN = /^-?\d{1,19}$/;
export const ID_PATTERN = /^[a-z]{3}_[0-9A-Za-z]{22}$/;

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
