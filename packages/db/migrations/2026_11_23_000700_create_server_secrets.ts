import { type Kysely, sql } from 'kysely';

/**
 * Keys the server generates for itself when the operator gives none (e.g. the key that encrypts webhook
 * signing secrets when SESSION_SECRET is not set). One row per name: the primary key makes concurrent
 * processes agree on the first value written (`insert … on conflict do nothing`, then read).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and never see the app's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('server_secrets')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('server_secrets').execute();
}
