import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and never see the app's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_logs')
    .addColumn('id', 'text', (col) => col.primaryKey())
    // No foreign key: entries outlive the organisations, users and tokens they mention.
    .addColumn('organization_id', 'text')
    .addColumn('actor_type', 'text', (col) =>
      col.notNull().check(sql`actor_type in ('user', 'token', 'system')`),
    )
    .addColumn('actor_id', 'text')
    .addColumn('actor_user_id', 'text')
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('detail', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('audit_logs_organization_created_idx')
    .on('audit_logs')
    .columns(['organization_id', 'created_at desc', 'id desc'])
    .execute();
  await db.schema
    .createIndex('audit_logs_organization_action_idx')
    .on('audit_logs')
    .columns(['organization_id', 'action'])
    .execute();
  await db.schema
    .createIndex('audit_logs_organization_actor_idx')
    .on('audit_logs')
    .columns(['organization_id', 'actor_id'])
    .execute();
  await db.schema
    .createIndex('audit_logs_organization_target_idx')
    .on('audit_logs')
    .columns(['organization_id', 'target_id'])
    .execute();

  // Append-only, enforced by the database so that no code path (or psql session) can rewrite history.
  await sql`
    create function audit_logs_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_logs is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
    end;
    $$
  `.execute(db);
  await sql`
    create trigger audit_logs_no_update_or_delete before update or delete on audit_logs
    for each row execute function audit_logs_append_only()
  `.execute(db);
  await sql`
    create trigger audit_logs_no_truncate before truncate on audit_logs
    for each statement execute function audit_logs_append_only()
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger audit_logs_no_truncate on audit_logs`.execute(db);
  await sql`drop trigger audit_logs_no_update_or_delete on audit_logs`.execute(db);
  await sql`drop function audit_logs_append_only()`.execute(db);
  await db.schema.dropTable('audit_logs').execute();
}
