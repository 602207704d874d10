import {
  addCredits,
  type CreditLedgerEntryRow,
  dailyApiRequests,
  dailyCreditTotals,
  type Executor,
  findCreditBalance,
  insertCreditLedgerEntry,
  listCreditLedgerPage,
} from '@tollgate/db';
import type {
  TCreditLedgerEntry,
  TGetCreditsRequest,
  TGetCreditsResponse,
  TGetUsageRequest,
  TGetUsageResponse,
  TPurchaseCreditsRequest,
  TPurchaseCreditsResponse,
} from '@tollgate/domain';
import { CURSOR_ID, CURSOR_MICROS, decodeCursor, encodeCursor, newId, TollgateError } from '@tollgate/domain';
import { recordAudit } from '../audit/record.ts';
import type { Services } from '../services.ts';
import { enqueueWebhookEvent } from '../webhooks/outbox.ts';
import { auditActorOf, type CallOptions, type OrganizationActor } from './actor.ts';
import { actingId, lastUtcDays, organizationOf, toPage } from './product-common.ts';

export function toLedgerEntryObject(row: CreditLedgerEntryRow): TCreditLedgerEntry {
  return {
    id: row.id,
    amount: row.amount,
    reason: row.reason,
    referenceId: row.referenceId,
    actorId: row.actorId,
    createdAt: row.createdAt.toISOString(),
  };
}

function organizationNotFound(): TollgateError {
  return new TollgateError('NOT_FOUND', 'The organisation was not found.');
}

/** The organisation's credit balance and a page of its ledger, newest entries first. */
export async function getCredits(
  services: Services,
  actor: OrganizationActor,
  input: TGetCreditsRequest,
): Promise<TGetCreditsResponse> {
  const organizationId = organizationOf(actor);
  const after =
    input.cursor === undefined ? undefined : decodeCursor(input.cursor, [CURSOR_MICROS, CURSOR_ID]);
  const [balance, rows] = await Promise.all([
    findCreditBalance(services.db, organizationId),
    listCreditLedgerPage(services.db, {
      organizationId,
      limit: input.limit + 1,
      after:
        after === undefined ? undefined : { createdAtMicros: after[0] as string, id: after[1] as string },
    }),
  ]);
  if (balance === undefined) throw organizationNotFound();
  return {
    balance,
    ...toPage(rows, input.limit, toLedgerEntryObject, (row) => encodeCursor([row.createdAtMicros, row.id])),
  };
}

/**
 * Adds purchased credits: the balance, its `purchase` ledger entry and the `credits.purchased` audit entry
 * in one transaction.
 */
export async function purchaseCredits(
  services: Services,
  actor: OrganizationActor,
  input: TPurchaseCreditsRequest,
  options: CallOptions = {},
): Promise<TPurchaseCreditsResponse> {
  const organizationId = organizationOf(actor);
  const now = services.clock.now();
  return services.db.transaction().execute(async (tx: Executor) => {
    const balance = await addCredits(tx, organizationId, input.amount);
    if (balance === undefined) throw organizationNotFound();
    const entry = await insertCreditLedgerEntry(tx, {
      id: newId('credit', now),
      organizationId,
      amount: input.amount,
      reason: 'purchase',
      referenceId: null,
      actorId: actingId(actor),
      createdAt: now,
    });
    await recordAudit(tx, {
      organizationId,
      actor: auditActorOf(actor),
      action: 'credits.purchased',
      target: { type: 'credit_ledger_entry', id: entry.id },
      request: options.request ?? null,
      detail: { amount: input.amount, balanceAfter: balance },
    });
    await enqueueWebhookEvent(tx, {
      organizationId,
      type: 'credits.purchased',
      payload: { amount: input.amount, balance, entry: { ...toLedgerEntryObject(entry) } },
      at: now,
    });
    return { balance, entry: toLedgerEntryObject(entry) };
  });
}

/**
 * Credits and API requests per UTC day for the `days` days ending today (by services.clock), oldest first,
 * with zeros for quiet days. API requests come from token_usage_daily, which the usage buffer fills in
 * batches, so today's count trails real traffic by up to one flush interval.
 */
export async function getUsage(
  services: Services,
  actor: OrganizationActor,
  input: TGetUsageRequest,
): Promise<TGetUsageResponse> {
  const organizationId = organizationOf(actor);
  const days = lastUtcDays(services.clock.now(), input.days);
  const fromDay = days[0] as string;
  const toDay = days.at(-1) as string;
  const [credits, requests] = await Promise.all([
    dailyCreditTotals(services.db, { organizationId, fromDay, toDay }),
    dailyApiRequests(services.db, { organizationId, fromDay, toDay }),
  ]);
  const creditsByDay = new Map(credits.map((row) => [row.day, row]));
  const requestsByDay = new Map(requests.map((row) => [row.day, row.requests]));
  const data = days.map((date) => ({
    date,
    creditsDebited: creditsByDay.get(date)?.debited ?? 0,
    creditsAdded: creditsByDay.get(date)?.added ?? 0,
    apiRequests: requestsByDay.get(date) ?? 0,
  }));
  return {
    data,
    totals: {
      creditsDebited: data.reduce((sum, day) => sum + day.creditsDebited, 0),
      creditsAdded: data.reduce((sum, day) => sum + day.creditsAdded, 0),
      apiRequests: data.reduce((sum, day) => sum + day.apiRequests, 0),
    },
  };
}
