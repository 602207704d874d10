import { type Kysely, sql } from 'kysely';

// Token families (§12): every secret a token has had, by hash, with the time it stopped working (the end of
// its rotation grace, or the rotation itself without one), kept as long as the token exists. A retired secret
// presented again is refused as rotated and reported as reuse; token_reuse_reports holds when the last
// token.reuse_detected event was sent, so that a pipeline retrying an old secret sends one an hour, not one a
// request.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and never see the app's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('token_secrets')
    .addColumn('hash', 'text', (col) => col.primaryKey())
    .addColumn('token_id', 'text', (col) => col.notNull().references('tokens.id').onDelete('cascade'))
    // Null for a previous secret of a rotation made before this table existed (its prefix was never kept).
    .addColumn('prefix', 'text')
    .addColumn('retired_at', 'timestamptz', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  // Serves the ON DELETE CASCADE from tokens and a token's history.
  await db.schema.createIndex('token_secrets_token_id_idx').on('token_secrets').column('token_id').execute();
  // A rotation in its grace when this migration runs: its previous secret retires when the grace ends.
  await sql`
    insert into token_secrets (hash, token_id, prefix, retired_at)
    select previous_hash, id, null, previous_hash_expires_at from tokens where previous_hash is not null
  `.execute(db);

  await db.schema
    .createTable('token_reuse_reports')
    .addColumn('token_id', 'text', (col) => col.primaryKey().references('tokens.id').onDelete('cascade'))
    .addColumn('last_event_at', 'timestamptz', (col) => col.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('token_reuse_reports').execute();
  await db.schema.dropTable('token_secrets').execute();
}
