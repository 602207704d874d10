import type { Database, Executor } from '@tollgate/db';
import { markTokensExpiringBefore } from '@tollgate/db';
import { TOKEN_EXPIRY_NOTICE_DAYS } from '@tollgate/domain';
import type { Kysely } from 'kysely';
import { toTokenObject } from '../core/token-object.ts';
import { enqueueWebhookEvent } from './outbox.ts';

const DAY_MS = 86_400_000;
const BATCH_SIZE = 100;

/**
 * The `token.expiring` job: marks tokens that expire within TOKEN_EXPIRY_NOTICE_DAYS and were not announced
 * yet, and writes their events, in one transaction per batch. The mark is `UPDATE … WHERE expiry_notified_at
 * IS NULL RETURNING`, so however many processes run the job, each token is announced exactly once.
 * Returns how many tokens were announced.
 */
export async function runTokenExpiringJob(db: Kysely<Database>, now: Date): Promise<number> {
  const until = new Date(now.getTime() + TOKEN_EXPIRY_NOTICE_DAYS * DAY_MS);
  let announced = 0;
  for (;;) {
    const count = await db.transaction().execute(async (tx: Executor) => {
      const tokens = await markTokensExpiringBefore(tx, { now, until, limit: BATCH_SIZE });
      for (const token of tokens) {
        await enqueueWebhookEvent(tx, {
          organizationId: token.organizationId,
          type: 'token.expiring',
          payload: { token: { ...toTokenObject(token, now) } },
          at: now,
        });
      }
      return tokens.length;
    });
    announced += count;
    if (count < BATCH_SIZE) return announced;
  }
}
