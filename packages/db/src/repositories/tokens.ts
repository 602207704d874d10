import { type SelectQueryBuilder, sql } from 'kysely';
import type {
  Database,
  JsonObject,
  MembershipRole,
  NewToken,
  OrganizationTier,
  TokenRevokedReason,
  TokenRow,
  TokenType,
  TokenUpdate,
} from '../tables/index.ts';
import type { Executor } from './executor.ts';

// Every query of the tokens table and of its daily usage.

export async function insertToken(db: Executor, token: NewToken): Promise<TokenRow> {
  return db.insertInto('tokens').values(token).returningAll().executeTakeFirstOrThrow();
}

/** Inserts many tokens, a few hundred per statement (seeding and benchmarks). */
export async function insertTokens(db: Executor, tokens: readonly NewToken[]): Promise<void> {
  for (let i = 0; i < tokens.length; i += 500) {
    await db
      .insertInto('tokens')
      .values(tokens.slice(i, i + 500))
      .execute();
  }
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
 * The current hash of the organisation's token: what verifying a request made as the token by its id (the
 * playground) looks up in place of a secret. undefined for an unknown id or another organisation's token.
 */
export async function findTokenHashById(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('tokens')
    .select('hash')
    .where('id', '=', id)
    .where('organizationId', '=', organizationId)
    .executeTakeFirst();
  return row?.hash;
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

/** The organisation a token belongs to, for callers that know only its id (the CLI's `token revoke <id>`). */
export async function findTokenOrganizationId(db: Executor, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('tokens').select('organizationId').where('id', '=', id).executeTakeFirst();
  return row?.organizationId;
}

/** The statuses of §3, as the list filter understands them. */
export type TokenListStatus = 'active' | 'inactive' | 'expired' | 'revoked';

/** The fields a tokens list sorts by; the id breaks ties, in the same direction. */
export type TokenListSort = 'createdAt' | 'name' | 'lastUsedAt' | 'expiresAt';

/**
 * Where a page of tokens starts: just after the row with this sort key and id. A timestamp key is whole
 * microseconds since the Unix epoch as a decimal string (exact, unlike a Date); null for a token never used /
 * without an expiry.
 */
export interface TokenListPosition {
  key: string | null;
  id: string;
}

/** The filters of a tokens list (§3), shared by the page and its total. */
export interface TokenListFilters {
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
}

export interface ListTokensQuery extends TokenListFilters {
  /** createdAt desc unless asked. */
  sort?: TokenListSort | undefined;
  order?: 'asc' | 'desc' | undefined;
  limit: number;
  after?: TokenListPosition | undefined;
}

export interface TokenListRow extends TokenRow {
  /** This row's sort key as {@link TokenListPosition} holds it, for the cursor of the page that follows it. */
  sortKey: string | null;
}

/** Escapes `\`, `%` and `_` so that user text is matched literally by LIKE/ILIKE (default escape `\`). */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

const SORT_COLUMNS = {
  createdAt: { column: 'created_at', time: true },
  name: { column: 'name', time: false },
  lastUsedAt: { column: 'last_used_at', time: true },
  expiresAt: { column: 'expires_at', time: true },
} as const satisfies Record<TokenListSort, { column: string; time: boolean }>;

function applyTokenFilters<B extends SelectQueryBuilder<Database, 'tokens', object>>(
  builder: B,
  query: TokenListFilters,
): B {
  let filtered = builder.where('organizationId', '=', query.organizationId);
  const now = query.now;
  switch (query.status) {
    case 'revoked':
      filtered = filtered.where('revokedAt', 'is not', null);
      break;
    case 'expired':
      filtered = filtered.where('revokedAt', 'is', null).where('expiresAt', '<=', now);
      break;
    case 'inactive':
    case 'active':
      filtered = filtered
        .where('revokedAt', 'is', null)
        .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', now)]))
        .where('active', '=', query.status === 'active');
      break;
    case undefined:
      break;
  }
  if (query.type !== undefined) filtered = filtered.where('type', '=', query.type);
  if (query.subjectUserId !== undefined) filtered = filtered.where('subjectUserId', '=', query.subjectUserId);
  if (query.scope !== undefined) {
    filtered = filtered.where(sql<boolean>`scopes @> array[${query.scope}]::text[]`);
  }
  if (query.q !== undefined && query.q !== '') {
    const pattern = `%${escapeLikePattern(query.q)}%`;
    filtered = filtered.where((eb) =>
      eb.or([
        eb('name', 'ilike', pattern),
        eb('description', 'ilike', pattern),
        eb('prefix', 'ilike', pattern),
        eb('id', '=', query.q as string),
      ]),
    );
  }
  return filtered as B;
}

/**
 * One page of an organisation's tokens in the asked order (createdAt desc unless asked; the id breaks ties in
 * the same direction; tokens without a last use or expiry come last in either order). The default order is
 * served by the (organization_id, created_at desc, id desc) indexes. Fetches `limit` rows; ask for one more
 * than you show to learn whether another page follows. Status is computed here, in SQL, against `now`.
 */
export async function listTokenPage(db: Executor, query: ListTokensQuery): Promise<TokenListRow[]> {
  const { column, time } = SORT_COLUMNS[query.sort ?? 'createdAt'];
  const desc = (query.order ?? 'desc') === 'desc';
  const ref = sql.ref(column);
  // Timestamps travel as integer microseconds, so a cursor names its row exactly (no rounding).
  const keyOf = time ? sql<string | null>`((extract(epoch from ${ref}) * 1000000)::bigint)::text` : ref;
  let builder = applyTokenFilters(db.selectFrom('tokens').selectAll().select(keyOf.as('sortKey')), query);
  if (query.after !== undefined) {
    const { key, id } = query.after;
    const compare = desc ? sql.raw('<') : sql.raw('>');
    if (key === null) {
      // Past the last keyed row: only the keyless rows after this id remain.
      builder = builder.where(sql<boolean>`(${ref} is null and id ${compare} ${id})`);
    } else {
      const value = time ? sql`timestamptz 'epoch' + ${key}::bigint * interval '1 microsecond'` : sql`${key}`;
      builder = builder.where(sql<boolean>`(${ref} is null or (${ref}, id) ${compare} (${value}, ${id}))`);
    }
  }
  const direction = desc ? 'desc' : 'asc';
  return builder
    .orderBy(sql`${ref} is null`)
    .orderBy(sql`${ref}`, direction)
    .orderBy('id', direction)
    .limit(query.limit)
    .execute() as Promise<TokenListRow[]>;
}

/** How many tokens match the filters (one count query; the list's total). */
export async function countTokens(db: Executor, filters: TokenListFilters): Promise<number> {
  const row = await applyTokenFilters(
    db.selectFrom('tokens').select((eb) => eb.fn.countAll<string>().as('count')),
    filters,
  ).executeTakeFirstOrThrow();
  return Number(row.count);
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
  revokedReason: TokenRevokedReason,
): Promise<TokenRow | undefined> {
  return db
    .updateTable('tokens')
    .set({ revokedAt, revokedReason, updatedAt: revokedAt })
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

/**
 * How many live tokens (not revoked, not expired at `now`) of the organisation the given policy would not
 * have allowed: no expiry while one is required, or a lifetime (expiry − creation) over the maximum.
 */
export async function countTokensBeyondPolicy(
  db: Executor,
  organizationId: string,
  policy: {
    maxTokenLifetimeDays: number | null;
    requireExpiry: boolean;
    now: Date;
  },
): Promise<number> {
  const { maxTokenLifetimeDays, requireExpiry, now } = policy;
  if (maxTokenLifetimeDays === null && !requireExpiry) return 0;
  const row = await db
    .selectFrom('tokens')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('organizationId', '=', organizationId)
    .where('revokedAt', 'is', null)
    .where((eb) => eb.or([eb('expiresAt', 'is', null), eb('expiresAt', '>', now)]))
    .where((eb) => {
      const beyond = [];
      if (requireExpiry || maxTokenLifetimeDays !== null) beyond.push(eb('expiresAt', 'is', null));
      if (maxTokenLifetimeDays !== null) {
        beyond.push(
          eb(
            'expiresAt',
            '>',
            sql<Date>`${sql.ref('createdAt')} + make_interval(days => cast(${maxTokenLifetimeDays} as integer))`,
          ),
        );
      }
      return eb.or(beyond);
    })
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

// -------------------------------------------------------------------------------------------- expiry notices

/** A token due for a `token.expiring` notice, and the mark (days before expiry) it is announced at. */
export interface DueExpiryNotice {
  token: TokenRow;
  mark: number;
}

/**
 * Claims up to `limit` live tokens that have reached a mark of their organisation's `expiryNoticeDays` they
 * were not announced at, records the mark and returns them. A token's due mark is the smallest mark at least
 * as far from its expiry as `now` is: a token created 5 days before it expires is announced once, at 7
 * (not also at 30), and again at 1. Concurrent callers never get the same token and mark twice: rows are
 * claimed `FOR UPDATE SKIP LOCKED`, and the update re-checks that the mark is smaller than the one recorded.
 *
 * `defaultMarks` stands in for an organisation whose stored policy has no valid list (the domain's default);
 * the marks themselves were validated (1–365 days) when the policy was written.
 */
export async function claimDueExpiryNotices(
  db: Executor,
  query: { now: Date; defaultMarks: readonly number[]; limit: number },
): Promise<DueExpiryNotice[]> {
  const defaults = JSON.stringify(query.defaultMarks);
  const now = sql`${query.now}::timestamptz`;
  const result = await sql<TokenRow & { dueMark: number }>`
    with due as (
      select c.id, n.mark
      from tokens c
      join organizations o on o.id = c.organization_id
      cross join lateral (
        select min(m.days::int) as mark
        from jsonb_array_elements_text(
          case when jsonb_typeof(o.policy -> 'expiryNoticeDays') = 'array'
            then o.policy -> 'expiryNoticeDays' else ${defaults}::jsonb end
        ) as m(days)
        where c.expires_at <= ${now} + m.days::int * interval '1 day'
      ) n
      where c.revoked_at is null
        and c.expires_at is not null
        and c.expires_at > ${now}
        and n.mark is not null
        and (c.expiry_notice_days is null or n.mark < c.expiry_notice_days)
      order by c.expires_at
      limit ${query.limit}
      for update of c skip locked
    )
    update tokens t
    set expiry_notice_days = due.mark, expiry_notified_at = ${now}
    from due
    where t.id = due.id and (t.expiry_notice_days is null or due.mark < t.expiry_notice_days)
    returning t.*, due.mark as due_mark`.execute(db);
  return result.rows.map(({ dueMark, ...token }) => ({
    token: token as TokenRow,
    mark: dueMark,
  }));
}

// -------------------------------------------------------------------------------------------- leak reports

/**
 * The tokens one of these hashes opens at `now` — their current secret, or the previous one during a
 * rotation's grace — locked for the rest of the transaction.
 */
export async function findTokensByHashesForUpdate(
  db: Executor,
  hashes: readonly string[],
  now: Date,
): Promise<TokenRow[]> {
  if (hashes.length === 0) return [];
  return db
    .selectFrom('tokens')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('hash', 'in', hashes),
        eb.and([eb('previousHash', 'in', hashes), eb('previousHashExpiresAt', '>', now)]),
      ]),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
}

// -------------------------------------------------------------------------------------------- verification

/**
 * Everything verifying a request needs about a token, its organisation and its subject, from one query: the
 * token's whole row (so that `tokens.self` can answer from the verification cache) plus the organisation's tier,
 * limits and policy and the subject's role.
 */
export interface TokenVerificationRow extends TokenRow {
  /** The subject's current role in the token's organisation; null for service tokens and ex-members. */
  subjectRole: MembershipRole | null;
  organizationTier: OrganizationTier;
  organizationCustomRateLimitPerMinute: number | null;
  organizationCustomRateLimitPerHour: number | null;
  /** The stored organisation policy (§5); resolve it with the domain's resolvePolicy. */
  organizationPolicy: JsonObject;
}

/**
 * The token whose current or previous (rotated) hash is `hash`, with its organisation's tier, limits and
 * policy and its subject's current role: one query, served by the unique indexes on hash and previous_hash.
 * A previous hash is returned whatever its grace period, so that the caller judges it by its own clock.
 */
export async function findTokenForVerification(
  db: Executor,
  hash: string,
): Promise<TokenVerificationRow | undefined> {
  return (
    db
      .selectFrom('tokens as t')
      .innerJoin('organizations as o', 'o.id', 't.organizationId')
      .leftJoin('memberships as m', (join) =>
        join.onRef('m.organizationId', '=', 't.organizationId').onRef('m.userId', '=', 't.subjectUserId'),
      )
      .selectAll('t')
      .select([
        'm.role as subjectRole',
        'o.tier as organizationTier',
        'o.customRateLimitPerMinute as organizationCustomRateLimitPerMinute',
        'o.customRateLimitPerHour as organizationCustomRateLimitPerHour',
        'o.policy as organizationPolicy',
      ])
      .where((eb) => eb.or([eb('t.hash', '=', hash), eb('t.previousHash', '=', hash)]))
      // Unique indexes on both columns: at most one row each, and a fresh secret never equals an old one.
      .limit(1)
      .executeTakeFirst()
  );
}

// --------------------------------------------------------------------------------------------------- usage

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

/** A client address a token was used from, with its latest use in the batch (§3 lastUsedIps). */
export interface TokenAddressUse {
  tokenId: string;
  ip: string;
  lastUsedAt: Date;
  userAgent: string | null;
}

/** How many distinct addresses a token's lastUsedIps keeps. */
export const LAST_USED_IPS_KEPT = 5;

/**
 * Writes a batch of buffered usage (see TokenUsageEntry) in ONE statement, whatever its size: request counts
 * are added to token_usage_daily, each token's lastUsedAt/lastUsedIp move forward (never back) and its
 * lastUsedIps takes in the batch's `addresses` (the newest LAST_USED_IPS_KEPT distinct ones stay), through
 * a data-modifying CTE, so the batch is atomic without a transaction. Usage of tokens deleted meanwhile is
 * dropped. Entries may repeat a token and day; they are summed.
 */
export async function recordTokenUsage(
  db: Executor,
  entries: readonly TokenUsageEntry[],
  addresses: readonly TokenAddressUse[] = [],
): Promise<void> {
  if (entries.length === 0) return;
  const daily = new Map<string, { tokenId: string; organizationId: string; day: string; count: number }>();
  const lastUse = new Map<string, { lastUsedAt: Date; lastUsedIp: string | null }>();
  for (const entry of entries) {
    const key = `${entry.tokenId}\u0000${entry.day}`;
    const total = daily.get(key);
    if (total) total.count += entry.count;
    else daily.set(key, { ...entry });
    const latest = lastUse.get(entry.tokenId);
    if (!latest || latest.lastUsedAt < entry.lastUsedAt) {
      lastUse.set(entry.tokenId, {
        lastUsedAt: entry.lastUsedAt,
        lastUsedIp: entry.lastUsedIp,
      });
    }
  }
  // A stable order, so that concurrent flushes from several processes lock rows in the same order.
  const rows = [...daily.values()].sort((a, b) => compare(a.tokenId, b.tokenId) || compare(a.day, b.day));
  const tokenIds = [...lastUse.keys()].sort(compare);
  const latest = tokenIds.map((id) => lastUse.get(id) as { lastUsedAt: Date; lastUsedIp: string | null });
  // Arrays + unnest rather than VALUES: seven parameters for any batch size.
  await sql`
    with daily as (
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
      returning 1
    )
    , addresses as (
      select * from unnest(
        ${addresses.map((use) => use.tokenId)}::text[],
        ${addresses.map((use) => use.ip)}::text[],
        ${addresses.map((use) => use.lastUsedAt.toISOString())}::timestamptz[],
        ${addresses.map((use) => use.userAgent)}::text[]
      ) as a (token_id, ip, last_used_at, user_agent)
    )
    update tokens as t
    set
      last_used_at = greatest(t.last_used_at, u.last_used_at),
      last_used_ip = case
        when t.last_used_at is null or t.last_used_at < u.last_used_at then u.last_used_ip
        else t.last_used_ip
      end,
      -- The stored addresses and the batch's: the latest use of each address, the newest few of them.
      last_used_ips = (
        select coalesce(
          jsonb_agg(
            jsonb_build_object('ip', n.ip, 'lastUsedAt', n.last_used_at, 'userAgent', n.user_agent)
            order by n.last_used_at desc, n.ip
          ),
          '[]'::jsonb
        )
        from (
          select * from (
            select distinct on (c.ip) c.ip, c.last_used_at, c.user_agent
            from (
              select e ->> 'ip' as ip, (e ->> 'lastUsedAt')::timestamptz as last_used_at, e ->> 'userAgent' as user_agent
              from jsonb_array_elements(t.last_used_ips) as e
              union all
              select a.ip, a.last_used_at, a.user_agent from addresses as a where a.token_id = t.id
            ) as c
            order by c.ip, c.last_used_at desc
          ) as d
          order by d.last_used_at desc, d.ip
          limit ${sql.lit(LAST_USED_IPS_KEPT)}
        ) as n
      )
    from unnest(
      ${tokenIds}::text[],
      ${latest.map((use) => use.lastUsedAt.toISOString())}::timestamptz[],
      ${latest.map((use) => use.lastUsedIp)}::text[]
    ) as u (token_id, last_used_at, last_used_ip)
    where t.id = u.token_id
  `.execute(db);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Requests per UTC day from token_usage_daily, from `fromDay` to `toDay` inclusive ('YYYY-MM-DD'), of one
 * token or of all an organisation's tokens together; days without requests are absent. Counts arrive with
 * the usage buffer's flush.
 */
async function dailyRequests(
  db: Executor,
  query: ({ tokenId: string } | { organizationId: string }) & { fromDay: string; toDay: string },
): Promise<{ day: string; requests: number }[]> {
  const rows = await db
    .selectFrom('tokenUsageDaily')
    .select(['day', sql<number>`coalesce(sum(request_count), 0)::bigint`.as('requests')])
    .where((eb) =>
      'tokenId' in query
        ? eb('tokenId', '=', query.tokenId)
        : eb('organizationId', '=', query.organizationId),
    )
    .where('day', '>=', query.fromDay)
    .where('day', '<=', query.toDay)
    .groupBy('day')
    .execute();
  return rows.map((row) => ({ day: String(row.day), requests: Number(row.requests) }));
}

/** API requests per UTC day, all the organisation's tokens together (billing's usage). */
export function dailyApiRequests(
  db: Executor,
  query: { organizationId: string; fromDay: string; toDay: string },
): Promise<{ day: string; requests: number }[]> {
  return dailyRequests(db, query);
}

/** Requests per UTC day made with one token (served by token_usage_daily's (token_id, day) key). */
export function dailyTokenRequests(
  db: Executor,
  query: { tokenId: string; fromDay: string; toDay: string },
): Promise<{ day: string; requests: number }[]> {
  return dailyRequests(db, query);
}
