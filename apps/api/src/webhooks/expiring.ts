import type { Database, Executor } from '@tollgate/db';
import { claimDueExpiryNotices } from '@tollgate/db';
import { DEFAULT_EXPIRY_NOTICE_DAYS } from '@tollgate/domain';
import type { Kysely } from 'kysely';
import { toTokenObject } from '../core/token-object.ts';
import { enqueueWebhookEvent } from './outbox.ts';

const DAY_MS = 86_400_000;
const BATCH_SIZE = 100;

/**
 * The `token.expiring` job: announces each live token at each mark of its organisation's `expiryNoticeDays`
 * (§5; default 30, 7 and 1 days before it expires) once, with `daysLeft` (whole days, rounded up). Claiming
 * the tokens and writing their events happen in one transaction per batch, so however many processes run
 * the job, each token is announced once per mark, and a failure midway announces nothing twice.
 * Returns how many notices were sent.
 */
export async function runTokenExpiringJob(db: Kysely<Database>, now: Date): Promise<number> {
  let announced = 0;
  for (;;) {
    const count = await db.transaction().execute(async (tx: Executor) => {
      const due = await claimDueExpiryNotices(tx, {
        now,
        defaultMarks: DEFAULT_EXPIRY_NOTICE_DAYS,
        limit: BATCH_SIZE,
      });
      for (const { token } of due) {
        const msLeft = (token.expiresAt as Date).getTime() - now.getTime();
        await enqueueWebhookEvent(tx, {
          organizationId: token.organizationId,
          type: 'token.expiring',
          payload: { token: { ...toTokenObject(token, now) }, daysLeft: Math.ceil(msLeft / DAY_MS) },
          at: now,
        });
      }
      return due.length;
    });
    announced += count;
    if (count < BATCH_SIZE) return announced;
  }
}
