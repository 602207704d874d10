import { TollgateError } from '@tollgate/domain';
import { type AuditActor, actorOf, SYSTEM_ACTOR } from '../audit/record.ts';
import type { Principal } from '../auth/principal.ts';
import type { RequestInfo } from '../request-info.ts';

/**
 * What the product resources (repositories, reviews, billing, wiki, stats) share: who acts, where the
 * request came from, and opaque list cursors.
 */

/** Tollgate itself acting in one organisation (seed, CLI, the review engine run in process). */
export interface SystemProductActor {
  kind: 'system';
  organizationId: string;
}

/** Whoever acts on the product: a signed-in user, a token, or the system. */
export type ProductActor = Principal | SystemProductActor;

/** Where the request came from, for the audit entry; absent for the system. */
export interface ProductCallOptions {
  request?: Pick<RequestInfo, 'ip' | 'userAgent'> | null;
}

/** The organisation an actor acts in; a principal is only ever shown its own organisation's resources. */
export function organizationOf(actor: ProductActor): string {
  if (actor.organizationId === null) {
    throw new TollgateError('FORBIDDEN', 'You are not a member of any organisation.');
  }
  return actor.organizationId;
}

export function productAuditActor(actor: ProductActor): AuditActor {
  return actor.kind === 'system' ? SYSTEM_ACTOR : actorOf(actor);
}

/** The id stored as "created by" / "updated by": the user or token acting, null for the system. */
export function actingId(actor: ProductActor): string | null {
  return productAuditActor(actor).id;
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
