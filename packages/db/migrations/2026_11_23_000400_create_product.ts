import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and never see the app's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('repositories')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('organization_id', 'text', (col) =>
      col.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (col) => col.notNull().check(sql`char_length(name) between 1 and 100`))
    .addColumn('url', 'text')
    .addColumn('default_branch', 'text', (col) => col.notNull().defaultTo('main'))
    .addColumn('review_settings', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('repositories_organization_name_key', ['organization_id', 'name'])
    // Target of the reviews foreign key below, which keeps a review in its repository's organisation.
    .addUniqueConstraint('repositories_organization_id_key', ['organization_id', 'id'])
    .execute();

  await db.schema
    .createTable('reviews')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('organization_id', 'text', (col) =>
      col.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('repository_id', 'text', (col) => col.notNull())
    .addColumn('pull_request', 'integer', (col) => col.check(sql`pull_request > 0`))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('queued')
        .check(sql`status in ('queued', 'running', 'completed', 'failed', 'cancelled')`),
    )
    .addColumn('findings', 'jsonb', (col) =>
      col.notNull().defaultTo(sql`'[]'::jsonb`).check(sql`jsonb_typeof(findings) = 'array'`),
    )
    .addColumn('credits_charged', 'integer', (col) =>
      col.notNull().defaultTo(0).check(sql`credits_charged >= 0`),
    )
    .addColumn('created_by_actor_id', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .addForeignKeyConstraint(
      'reviews_repository_fkey',
      ['organization_id', 'repository_id'],
      'repositories',
      ['organization_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('reviews_organization_created_idx')
    .on('reviews')
    .columns(['organization_id', 'created_at desc', 'id desc'])
    .execute();
  await db.schema.createIndex('reviews_repository_id_idx').on('reviews').column('repository_id').execute();

  await db.schema
    .createTable('credit_ledger')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('organization_id', 'text', (col) =>
      col.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('amount', 'integer', (col) => col.notNull().check(sql`amount <> 0`))
    .addColumn('reason', 'text', (col) =>
      col.notNull().check(sql`reason in ('purchase', 'review', 'grant', 'refund')`),
    )
    .addColumn('reference_id', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('credit_ledger_organization_created_idx')
    .on('credit_ledger')
    .columns(['organization_id', 'created_at desc', 'id desc'])
    .execute();

  await db.schema
    .createTable('wiki_pages')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('organization_id', 'text', (col) =>
      col.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('slug', 'text', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('updated_by_actor_id', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('wiki_pages_organization_slug_key', ['organization_id', 'slug'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('wiki_pages').execute();
  await db.schema.dropTable('credit_ledger').execute();
  await db.schema.dropTable('reviews').execute();
  await db.schema.dropTable('repositories').execute();
}
