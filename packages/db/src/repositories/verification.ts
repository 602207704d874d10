import { sql } from 'kysely';
import type { JsonObject, MembershipRole, OrganizationTier, TokenRow } from '../tables/index.ts';
import type { Executor } from './executor.ts';

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
      lastUse.set(entry.tokenId, { lastUsedAt: entry.lastUsedAt, lastUsedIp: entry.lastUsedIp });
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
