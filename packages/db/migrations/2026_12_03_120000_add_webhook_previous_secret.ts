import type { Kysely } from 'kysely';

/**
 * Rolling a subscription's signing secret (§8): the previous secret, encrypted like the current one, and
 * until when deliveries are signed with it too.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and never see the app's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('webhook_subscriptions')
    .addColumn('previous_secret_ciphertext', 'text')
    .addColumn('previous_secret_expires_at', 'timestamptz')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see above
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('webhook_subscriptions')
    .dropColumn('previous_secret_ciphertext')
    .dropColumn('previous_secret_expires_at')
    .execute();
}
