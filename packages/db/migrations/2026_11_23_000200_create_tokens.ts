import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and never see the app's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tokens')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('organization_id', 'text', (col) =>
      col.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('type', 'text', (col) => col.notNull().check(sql`type in ('personal', 'service')`))
    .addColumn('subject_user_id', 'text', (col) => col.references('users.id').onDelete('cascade'))
    .addColumn('created_by_user_id', 'text', (col) => col.references('users.id').onDelete('set null'))
    // No foreign key: the creating token may be deleted while its children live on.
    .addColumn('created_by_token_id', 'text')
    .addColumn('name', 'text', (col) => col.notNull().check(sql`char_length(name) between 1 and 100`))
    .addColumn('description', 'text', (col) => col.check(sql`char_length(description) <= 500`))
    .addColumn('environment', 'text')
    .addColumn('scopes', sql`text[]`, (col) => col.notNull())
    .addColumn('ip_allowlist', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('rate_limit_per_minute', 'integer', (col) => col.check(sql`rate_limit_per_minute > 0`))
    .addColumn('rate_limit_per_hour', 'integer', (col) => col.check(sql`rate_limit_per_hour > 0`))
    .addColumn('expires_at', 'timestamptz')
    .addColumn('active', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('last_used_ip', 'text')
    .addColumn('prefix', 'text', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull().unique())
    // Rotation grace period: the previous secret keeps working until previous_hash_expires_at.
    .addColumn('previous_hash', 'text', (col) => col.unique())
    .addColumn('previous_hash_expires_at', 'timestamptz')
    .addColumn('expiry_notified_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'tokens_personal_subject_check',
      sql`(type = 'personal') = (subject_user_id is not null)`,
    )
    .addCheckConstraint(
      'tokens_previous_hash_check',
      sql`(previous_hash is null) = (previous_hash_expires_at is null)`,
    )
    .execute();
  await db.schema
    .createIndex('tokens_organization_created_idx')
    .on('tokens')
    .columns(['organization_id', 'created_at desc', 'id desc'])
    .execute();
  await db.schema
    .createIndex('tokens_organization_subject_created_idx')
    .on('tokens')
    .columns(['organization_id', 'subject_user_id', 'created_at desc', 'id desc'])
    .execute();
  // Serves the ON DELETE CASCADE from users.
  await db.schema.createIndex('tokens_subject_user_id_idx').on('tokens').column('subject_user_id').execute();
  // The "expires in 7 days" notifier only ever looks at tokens it has not notified yet.
  await db.schema
    .createIndex('tokens_expiry_pending_idx')
    .on('tokens')
    .column('expires_at')
    .where(sql.ref('expiry_notified_at'), 'is', null)
    .where(sql.ref('expires_at'), 'is not', null)
    .execute();

  await db.schema
    .createTable('token_usage_daily')
    .addColumn('token_id', 'text', (col) => col.notNull().references('tokens.id').onDelete('cascade'))
    .addColumn('organization_id', 'text', (col) => col.notNull())
    .addColumn('day', 'date', (col) => col.notNull())
    .addColumn('request_count', 'bigint', (col) => col.notNull().defaultTo(0).check(sql`request_count >= 0`))
    .addPrimaryKeyConstraint('token_usage_daily_pkey', ['token_id', 'day'])
    .execute();
  await db.schema
    .createIndex('token_usage_daily_organization_day_idx')
    .on('token_usage_daily')
    .columns(['organization_id', 'day'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('token_usage_daily').execute();
  await db.schema.dropTable('tokens').execute();
}
