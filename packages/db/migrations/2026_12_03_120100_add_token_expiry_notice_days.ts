import { type Kysely, sql } from 'kysely';

/**
 * `token.expiring` at several marks (§5 expiryNoticeDays, default 30, 7 and 1 days): each token remembers the
 * smallest mark it was announced at. Tokens announced under the single 7-day notice count as announced at 7.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and never see the app's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tokens').addColumn('expiry_notice_days', 'integer').execute();
  await sql`update tokens set expiry_notice_days = 7 where expiry_notified_at is not null`.execute(db);
  await db.schema.dropIndex('tokens_expiry_pending_idx').execute();
  // The notice job looks at live tokens by expiry, whichever marks they were announced at.
  await db.schema
    .createIndex('tokens_expiry_live_idx')
    .on('tokens')
    .column('expires_at')
    .where(sql.ref('revoked_at'), 'is', null)
    .where(sql.ref('expires_at'), 'is not', null)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see above
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tokens_expiry_live_idx').execute();
  await db.schema
    .createIndex('tokens_expiry_pending_idx')
    .on('tokens')
    .column('expires_at')
    .where(sql.ref('expiry_notified_at'), 'is', null)
    .where(sql.ref('expires_at'), 'is not', null)
    .execute();
  await db.schema.alterTable('tokens').dropColumn('expiry_notice_days').execute();
}
