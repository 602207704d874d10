import { sql } from 'kysely';
import type { CreditLedgerEntryRow, NewCreditLedgerEntry } from '../tables/index.ts';
import type { Executor } from './executor.ts';

// The organisation's credit balance and the ledger that explains it.

/**
 * Takes `amount` credits from the organisation's balance if it holds at least that many: the check and the
 * write are one statement, so concurrent debits can never overdraw it (a debit that would waits for the
 * one before it and then finds too little). The new balance, or undefined when there was not enough (or no
 * such organisation).
 */
export async function debitCredits(
  db: Executor,
  organizationId: string,
  amount: number,
): Promise<number | undefined> {
  const row = await db
    .updateTable('organizations')
    .set({ creditBalance: sql<number>`credit_balance - ${amount}` })
    .where('id', '=', organizationId)
    .where('creditBalance', '>=', amount)
    .returning('creditBalance')
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.creditBalance);
}

/** Adds `amount` credits to the balance; the new balance, or undefined when there is no such organisation. */
export async function addCredits(
  db: Executor,
  organizationId: string,
  amount: number,
): Promise<number | undefined> {
  const row = await db
    .updateTable('organizations')
    .set({ creditBalance: sql<number>`credit_balance + ${amount}` })
    .where('id', '=', organizationId)
    .returning('creditBalance')
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.creditBalance);
}

export async function findCreditBalance(db: Executor, organizationId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('organizations')
    .select('creditBalance')
    .where('id', '=', organizationId)
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.creditBalance);
}

/** Appends a ledger entry. Write it in the transaction that changes the balance, so the two always agree. */
export async function insertCreditLedgerEntry(
  db: Executor,
  entry: NewCreditLedgerEntry,
): Promise<CreditLedgerEntryRow> {
  return db.insertInto('creditLedger').values(entry).returningAll().executeTakeFirstOrThrow();
}

/** Where a page of ledger entries starts: just after the row with this creation time (µs) and id. */
export interface LedgerListPosition {
  createdAtMicros: string;
  id: string;
}

export interface LedgerListRow extends CreditLedgerEntryRow {
  createdAtMicros: string;
}

/** One page of the organisation's ledger, newest first, served by (organization_id, created_at desc, id desc). */
export async function listCreditLedgerPage(
  db: Executor,
  query: { organizationId: string; limit: number; after?: LedgerListPosition | undefined },
): Promise<LedgerListRow[]> {
  let builder = db
    .selectFrom('creditLedger')
    .selectAll()
    .select(sql<string>`((extract(epoch from created_at) * 1000000)::bigint)::text`.as('createdAtMicros'))
    .where('organizationId', '=', query.organizationId);
  if (query.after !== undefined) {
    const { createdAtMicros, id } = query.after;
    builder = builder.where(
      sql<boolean>`(created_at, id) < (timestamptz 'epoch' + ${createdAtMicros}::bigint * interval '1 microsecond', ${id})`,
    );
  }
  return builder.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
}

const DAY_MS = 86_400_000;

export interface DailyCredits {
  /** 'YYYY-MM-DD', UTC. */
  day: string;
  /** Credits taken from the balance that day (a positive number). */
  debited: number;
  /** Credits added to the balance that day (purchases, grants, refunds). */
  added: number;
}

/** Ledger totals per UTC day from `fromDay` to `toDay` inclusive ('YYYY-MM-DD'); days without entries are absent. */
export async function dailyCreditTotals(
  db: Executor,
  query: { organizationId: string; fromDay: string; toDay: string },
): Promise<DailyCredits[]> {
  const day = sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`;
  const rows = await db
    .selectFrom('creditLedger')
    .select([
      day.as('day'),
      sql<number>`coalesce(sum(-amount) filter (where amount < 0), 0)::bigint`.as('debited'),
      sql<number>`coalesce(sum(amount) filter (where amount > 0), 0)::bigint`.as('added'),
    ])
    .where('organizationId', '=', query.organizationId)
    .where('createdAt', '>=', new Date(`${query.fromDay}T00:00:00.000Z`))
    .where('createdAt', '<', new Date(Date.parse(`${query.toDay}T00:00:00.000Z`) + DAY_MS))
    .groupBy(day)
    .execute();
  return rows.map((row) => ({ day: row.day, debited: Number(row.debited), added: Number(row.added) }));
}
