import { sql } from 'kysely';
import type { TokenRow } from '../tables/index.ts';
import type { Executor } from './executor.ts';

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
  return result.rows.map(({ dueMark, ...token }) => ({ token: token as TokenRow, mark: dueMark }));
}
