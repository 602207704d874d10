import { type Kysely, sql } from 'kysely';

// §3 lastUsedIps: the last 5 distinct client addresses of a token, each with its last time and user agent,
// newest first, as a JSON array on the row (the token object is built from the row alone, and a usage flush
// merges its batch into it in the same single statement as lastUsedAt). The one address known so far carries
// over, without a user agent.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and never see the app's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tokens')
    .addColumn('last_used_ips', 'jsonb', (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await sql`
    update tokens
    set last_used_ips = jsonb_build_array(
      jsonb_build_object('ip', last_used_ip, 'lastUsedAt', last_used_at, 'userAgent', null)
    )
    where last_used_ip is not null and last_used_at is not null
  `.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tokens').dropColumn('last_used_ips').execute();
}
