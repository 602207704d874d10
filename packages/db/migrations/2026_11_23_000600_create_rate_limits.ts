import type { Kysely } from 'kysely';

/**
 * The table rate-limiter-flexible's RateLimiterPostgres reads and writes (created here, so the limiter runs
 * with `tableCreated: true` and `tableName: 'rate_limits'`). `expire` is a Unix time in milliseconds.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and never see the app's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'varchar(255)', (col) => col.primaryKey())
    .addColumn('points', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('expire', 'bigint')
    .execute();
  // The limiter periodically deletes expired rows.
  await db.schema.createIndex('rate_limits_expire_idx').on('rate_limits').column('expire').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
}
