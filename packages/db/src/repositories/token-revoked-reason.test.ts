import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { migrateDown, migrateToLatest, migrationStatus } from '../migrate.ts';
import { createOrganization, createToken } from '../test-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { findTokenById, revokeTokenIfNotRevoked } from './tokens.ts';

const MIGRATION = '2026_12_03_000100_add_token_revoked_reason';

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

test('revokeTokenIfNotRevoked stores the reason with the time, once', async () => {
  const organization = await createOrganization(handle.db);
  const token = await createToken(handle.db, organization.id);
  const at = new Date('2030-01-02T03:04:05.000Z');
  const revoked = await revokeTokenIfNotRevoked(handle.db, organization.id, token.id, at, 'exposed');
  expect(revoked).toMatchObject({ revokedAt: at, revokedReason: 'exposed' });
  // A second revoke, whatever its reason, changes nothing.
  expect(
    await revokeTokenIfNotRevoked(handle.db, organization.id, token.id, new Date(), 'reuse'),
  ).toBeUndefined();
  expect(await findTokenById(handle.db, organization.id, token.id)).toMatchObject({
    revokedAt: at,
    revokedReason: 'exposed',
  });
});

describe('the database keeps revokedReason and revokedAt together', () => {
  test.each([
    ['revoked without a reason', { revokedAt: new Date() }],
    ['a reason without being revoked', { revokedReason: 'manual' as const }],
  ])('%s is refused', async (_case, changes) => {
    const organization = await createOrganization(handle.db);
    const token = await createToken(handle.db, organization.id);
    await expect(
      handle.db.updateTable('tokens').set(changes).where('id', '=', token.id).execute(),
    ).rejects.toThrow(/tokens_revoked_reason_revoked_at_check/);
  });

  test('an unknown reason is refused', async () => {
    const organization = await createOrganization(handle.db);
    const token = await createToken(handle.db, organization.id);
    await expect(
      sql`update tokens set revoked_at = now(), revoked_reason = 'bored' where id = ${token.id}`.execute(
        handle.db,
      ),
    ).rejects.toThrow(/tokens_revoked_reason_check/);
  });
});

test('the migration gives tokens revoked before it the reason manual, and none to the others', async () => {
  // Back to just before the migration (and whatever came after it).
  while ((await migrationStatus(handle.db)).find((m) => m.name === MIGRATION)?.executedAt) {
    await migrateDown(handle.db, { log: () => {} });
  }
  const organization = await createOrganization(handle.db);
  const revoked = await createToken(handle.db, organization.id);
  const active = await createToken(handle.db, organization.id);
  await sql`update tokens set revoked_at = now() where id = ${revoked.id}`.execute(handle.db);

  expect(await migrateToLatest(handle.db, { log: () => {} })).toContain(MIGRATION);
  expect(await findTokenById(handle.db, organization.id, revoked.id)).toMatchObject({
    revokedReason: 'manual',
  });
  expect(await findTokenById(handle.db, organization.id, active.id)).toMatchObject({
    revokedAt: null,
    revokedReason: null,
  });
});
