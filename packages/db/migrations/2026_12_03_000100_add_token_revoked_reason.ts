import { type Kysely, sql } from 'kysely';

// Why a token was revoked (§3 revokedReason): `manual` by a person, a token or the CLI; `exposed` when a leak
// report or a scan found it; `reuse` when a rotated-away secret came back (§12); `member_removed` when its
// subject left. Set exactly when revoked_at is (CHECK), so a reason can never be missing or left over.
// Tokens revoked before this migration were revoked by hand: they get `manual`.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and never see the app's Database type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tokens')
    .addColumn('revoked_reason', 'text', (col) =>
      col.check(sql`revoked_reason in ('manual', 'exposed', 'reuse', 'member_removed')`),
    )
    .execute();
  await db
    .updateTable('tokens')
    .set({ revoked_reason: 'manual' })
    .where('revoked_at', 'is not', null)
    .execute();
  await db.schema
    .alterTable('tokens')
    .addCheckConstraint(
      'tokens_revoked_reason_revoked_at_check',
      sql`(revoked_reason is null) = (revoked_at is null)`,
    )
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tokens').dropConstraint('tokens_revoked_reason_revoked_at_check').execute();
  await db.schema.alterTable('tokens').dropColumn('revoked_reason').execute();
}
