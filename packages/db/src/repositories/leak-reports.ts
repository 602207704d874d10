import { jsonb, type LeakReportRow, type NewLeakReport } from '../tables/index.ts';
import type { Executor } from './executor.ts';

/** Stores a leak report for the job: one insert, whatever the report holds. */
export async function insertLeakReport(db: Executor, report: NewLeakReport): Promise<void> {
  await db
    .insertInto('leakReports')
    .values({ ...report, items: jsonb(report.items) })
    .execute();
}

/**
 * Claims the oldest unprocessed report, locked for the rest of the transaction (`FOR UPDATE SKIP LOCKED`, so
 * concurrent jobs take different reports); mark it processed in the same transaction.
 */
export async function claimPendingLeakReport(db: Executor): Promise<LeakReportRow | undefined> {
  return db
    .selectFrom('leakReports')
    .selectAll()
    .where('processedAt', 'is', null)
    .orderBy('receivedAt')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

export async function markLeakReportProcessed(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('leakReports').set({ processedAt: at }).where('id', '=', id).execute();
}
