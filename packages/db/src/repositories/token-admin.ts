import { sql } from 'kysely';
import type { TokenRow, TokenType, TokenUpdate } from '../tables/index.ts';
import type { Executor } from './executor.ts';

/** The statuses of §3, as the list filter understands them. */
export type TokenListStatus = 'active' | 'inactive' | 'expired' | 'revoked';

/** Where a page of tokens starts: just after the row with this creation time (µs since epoch) and id. */
export interface TokenListPosition {
  /** created_at in whole microseconds since the Unix epoch, as a decimal string (exact, unlike a Date). */
  createdAtMicros: string;
  id: string;
}

export interface ListTokensQuery {
  organizationId: string;
  /** The time statuses are computed against (the application's clock, not the database's). */
  now: Date;
  status?: TokenListStatus | undefined;
  type?: TokenType | undefined;
  subjectUserId?: string | undefined;
  /** Only tokens whose scopes contain this one literally. */
  scope?: string | undefined;
  /** Case-insensitive substring of name, description or prefix, or the exact id; LIKE wildcards are literal. */
  q?: string | undefined;
  limit: number;
  after?: TokenListPosition | undefined;
}

export interface TokenListRow extends TokenRow {
  /** This row's position, for the cursor of the page that follows it. */
  createdAtMicros: string;
}

/** Escapes `\`, `%` and `_` so that user text is matched literally by LIKE/ILIKE (default escape `\`). */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * One page of an organisation's tokens, newest first (created_at desc, id desc), served by the
 * (organization_id, created_at desc, id desc) indexes. Fetches `limit` rows; ask for one more than you
 * show to learn whether another page follows. Status is computed here, in SQL, against `now`.
 */
export async function listTokenPage(db: Executor, query: ListTokensQuery): Promise<TokenListRow[]> {
  let builder = db
    .selectFrom('tokens')
    .selectAll()
    .select(sql<string>`((extract(epoch from created_at) * 1000000)::bigint)::text`.as('createdAtMicros'))
    .where('organizationId', '=', query.organizationId);

  const now = query.now;
  switch (query.status) {
    case 'revoked':
      builder = builder.where('revokedAt', 'is not', null);
      break;
    case 'expired':
      builder = builder.where('revokedAt', 'is', null).where('expiresAt', '<=', now);
      break;
    case 'inactive':
    case 'active':
      builder = builder
        .where('revokedAt', 'is', null)
        .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', now)]))
        .where('active', '=', query.status === 'active');
      break;
    case undefined:
      break;
  }
  if (query.type !== undefined) builder = builder.where('type', '=', query.type);
  if (query.subjectUserId !== undefined) builder = builder.where('subjectUserId', '=', query.subjectUserId);
  if (query.scope !== undefined) {
    builder = builder.where(sql<boolean>`scopes @> array[${query.scope}]::text[]`);
  }
  if (query.q !== undefined && query.q !== '') {
    const pattern = `%${escapeLikePattern(query.q)}%`;
    builder = builder.where((eb) =>
      eb.or([
        eb('name', 'ilike', pattern),
        eb('description', 'ilike', pattern),
        eb('prefix', 'ilike', pattern),
        eb('id', '=', query.q as string),
      ]),
    );
  }
  if (query.after !== undefined) {
    const { createdAtMicros, id } = query.after;
    // Row comparison matches the index order exactly; built from integer microseconds, so no rounding.
    builder = builder.where(
      sql<boolean>`(created_at, id) < (timestamptz 'epoch' + ${createdAtMicros}::bigint * interval '1 microsecond', ${id})`,
    );
  }
  return builder.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
}

/** The token, locked for the rest of the transaction, so that concurrent changes to it queue up. */
export async function findTokenByIdForUpdate(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<TokenRow | undefined> {
  return db
    .selectFrom('tokens')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Applies the changes; undefined when the organisation has no such token. */
export async function updateTokenById(
  db: Executor,
  organizationId: string,
  id: string,
  changes: TokenUpdate,
): Promise<TokenRow | undefined> {
  return db
    .updateTable('tokens')
    .set(changes)
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Revokes the token unless it already is: the check and the write are one statement, so of any number of
 * concurrent revokes exactly one gets the row back. undefined: no such token, or already revoked.
 */
export async function revokeTokenIfNotRevoked(
  db: Executor,
  organizationId: string,
  id: string,
  revokedAt: Date,
): Promise<TokenRow | undefined> {
  return db
    .updateTable('tokens')
    .set({ revokedAt, updatedAt: revokedAt })
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes the token; the deleted row, or undefined when there was none. */
export async function deleteTokenById(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<TokenRow | undefined> {
  return db
    .deleteFrom('tokens')
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** The organisation a token belongs to, for callers that know only its id (the CLI's `token revoke <id>`). */
export async function findTokenOrganizationId(db: Executor, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('tokens').select('organizationId').where('id', '=', id).executeTakeFirst();
  return row?.organizationId;
}
