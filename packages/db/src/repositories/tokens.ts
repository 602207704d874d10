import { sql } from 'kysely';
import type { MembershipRole, NewToken, TokenRow } from '../tables/index.ts';
import type { Executor } from './executor.ts';

export interface TokenWithSubjectRole extends TokenRow {
  /** The subject's current role in the token's organisation; null for service tokens and ex-members. */
  subjectRole: MembershipRole | null;
  /** The token was found by its previous (rotated) hash, within the grace period. */
  matchedPreviousHash: boolean;
}

/** Requests made with one token: buffered by the API and written in batches (no write per request). */
export interface TokenUsageEntry {
  tokenId: string;
  organizationId: string;
  /** UTC day, 'YYYY-MM-DD'. */
  day: string;
  count: number;
  lastUsedAt: Date;
  lastUsedIp: string | null;
}

export async function insertToken(db: Executor, token: NewToken): Promise<TokenRow> {
  return db.insertInto('tokens').values(token).returningAll().executeTakeFirstOrThrow();
}

/**
 * The token whose current hash is `hash`, or whose previous hash is `hash` while its rotation grace period
 * lasts, with its subject's current role. One query, served by the unique indexes on hash and previous_hash.
 */
export async function findTokenByHash(db: Executor, hash: string): Promise<TokenWithSubjectRole | undefined> {
  return db
    .selectFrom('tokens as t')
    .leftJoin('memberships as m', (join) =>
      join.onRef('m.organizationId', '=', 't.organizationId').onRef('m.userId', '=', 't.subjectUserId'),
    )
    .selectAll('t')
    .select((eb) => [
      'm.role as subjectRole',
      eb('t.hash', '<>', hash).$castTo<boolean>().as('matchedPreviousHash'),
    ])
    .where((eb) =>
      eb.or([
        eb('t.hash', '=', hash),
        eb.and([eb('t.previousHash', '=', hash), eb('t.previousHashExpiresAt', '>', sql<Date>`now()`)]),
      ]),
    )
    .executeTakeFirst();
}

/** A token of the organisation; undefined for another organisation's token (never reveal it exists). */
export async function findTokenById(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<TokenRow | undefined> {
  return db
    .selectFrom('tokens')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Writes a batch of buffered usage in two statements, whatever its size: request counts are added to
 * token_usage_daily, and each token's lastUsedAt/lastUsedIp move forward (never back). Usage of tokens
 * deleted meanwhile is dropped. Runs in a transaction (the caller's, if it passes one).
 */
export async function addTokenUsage(db: Executor, entries: readonly TokenUsageEntry[]): Promise<void> {
  if (entries.length === 0) return;

  const daily = new Map<string, { tokenId: string; organizationId: string; day: string; count: number }>();
  const lastUse = new Map<string, { lastUsedAt: Date; lastUsedIp: string | null }>();
  for (const entry of entries) {
    const key = `${entry.tokenId}\u0000${entry.day}`;
    const total = daily.get(key);
    if (total) total.count += entry.count;
    else
      daily.set(key, {
        tokenId: entry.tokenId,
        organizationId: entry.organizationId,
        day: entry.day,
        count: entry.count,
      });
    const latest = lastUse.get(entry.tokenId);
    if (!latest || latest.lastUsedAt < entry.lastUsedAt) {
      lastUse.set(entry.tokenId, { lastUsedAt: entry.lastUsedAt, lastUsedIp: entry.lastUsedIp });
    }
  }
  // A stable order, so that concurrent flushes from several processes lock rows in the same order.
  const rows = [...daily.values()].sort((a, b) => compare(a.tokenId, b.tokenId) || compare(a.day, b.day));
  const tokenIds = [...lastUse.keys()].sort(compare);

  const write = async (tx: Executor) => {
    // Arrays + unnest rather than VALUES: four parameters for any batch size.
    await sql`
      insert into token_usage_daily (token_id, organization_id, day, request_count)
      select u.token_id, u.organization_id, u.day, u.request_count
      from unnest(
        ${rows.map((row) => row.tokenId)}::text[],
        ${rows.map((row) => row.organizationId)}::text[],
        ${rows.map((row) => row.day)}::date[],
        ${rows.map((row) => row.count)}::bigint[]
      ) as u (token_id, organization_id, day, request_count)
      where exists (select from tokens t where t.id = u.token_id)
      order by u.token_id, u.day
      on conflict (token_id, day)
      do update set request_count = token_usage_daily.request_count + excluded.request_count
    `.execute(tx);
    await sql`
      update tokens as t
      set last_used_at = u.last_used_at, last_used_ip = u.last_used_ip
      from unnest(
        ${tokenIds}::text[],
        ${tokenIds.map((id) => lastUse.get(id)!.lastUsedAt.toISOString())}::timestamptz[],
        ${tokenIds.map((id) => lastUse.get(id)!.lastUsedIp)}::text[]
      ) as u (token_id, last_used_at, last_used_ip)
      where t.id = u.token_id and (t.last_used_at is null or t.last_used_at < u.last_used_at)
    `.execute(tx);
  };

  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
