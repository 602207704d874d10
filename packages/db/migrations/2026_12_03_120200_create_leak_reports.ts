import { type Kysely, sql } from 'kysely';

/**
 * Leak reports (§13): what a public report or GitHub's secret scanning said was exposed, kept until a job has
 * revoked the tokens it names. Only SHA-256 hashes of well-formed tokens are stored, never a token.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and never see the app's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('leak_reports')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('reporter', 'text', (col) =>
      col.notNull().check(sql`reporter in ('public_report', 'github_secret_scanning')`),
    )
    // [{ "hash", "url"?, "source"? }]: the hash of each well-formed credential and where it was found.
    .addColumn('items', 'jsonb', (col) => col.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('received_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('processed_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('leak_reports_pending_idx')
    .on('leak_reports')
    .column('received_at')
    .where(sql.ref('processed_at'), 'is', null)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see above
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('leak_reports').execute();
}
