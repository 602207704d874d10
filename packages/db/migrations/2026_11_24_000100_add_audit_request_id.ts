import type { Kysely } from 'kysely';

// The Request-Id (§7) of the HTTP request that caused an entry, so that a client's complaint ("request
// req_… failed") leads to the log line and to the changes it made. A column, not a detail field: it is
// the same for every action and is looked up by itself. Adding a column is not an update of any row, so the
// append-only triggers do not stand in the way.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and never see the app's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_logs').addColumn('request_id', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_logs').dropColumn('request_id').execute();
}
