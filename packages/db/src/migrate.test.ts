import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { migrations } from '../migrations/index.ts';
import { MigrationError, migrateDown, migrateToLatest, migrationStatus } from './migrate.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';

const names = Object.keys(migrations);

async function publicTables(handle: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ tablename: string }>`
    select tablename from pg_tables where schemaname = 'public' order by tablename
  `.execute(handle.db);
  return rows.map((row) => row.tablename);
}

describe('migrations', () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(() => handle.close());

  test('a test database starts fully migrated', async () => {
    const status = await migrationStatus(handle.db);
    expect(status.map((migration) => migration.name)).toEqual(names);
    for (const migration of status) expect(migration.executedAt).toBeInstanceOf(Date);
  });

  test('migrating an up-to-date database does nothing', async () => {
    const log = vi.fn();
    expect(await migrateToLatest(handle.db, { log })).toEqual([]);
    expect(log).not.toHaveBeenCalled();
  });

  test('every migration goes down, one step at a time, and up again', async () => {
    const log = vi.fn();
    for (const name of [...names].reverse()) {
      expect(await migrateDown(handle.db, { log })).toBe(name);
      expect(log).toHaveBeenLastCalledWith(`reverted ${name}`);
    }
    expect(await migrateDown(handle.db, { log })).toBeUndefined();
    expect(await publicTables(handle)).toEqual(['kysely_migration', 'kysely_migration_lock']);
    const { rows: functions } =
      await sql`select 1 from pg_proc where proname = 'audit_logs_append_only'`.execute(handle.db);
    expect(functions).toEqual([]);
    expect((await migrationStatus(handle.db)).map((migration) => migration.executedAt)).toEqual(
      names.map(() => null),
    );

    log.mockClear();
    expect(await migrateToLatest(handle.db, { log })).toEqual(names);
    expect(log.mock.calls).toEqual(names.map((name) => [`applied ${name}`]));
    expect(await publicTables(handle)).toContain('audit_logs');
  });

  test('a failing migration is named, and nothing of its run is applied', async () => {
    // Something in the way of the migration that adds audit_logs.request_id, run with the one before it.
    const failing = '2026_11_24_000100_add_audit_request_id';
    const run = names.slice(names.indexOf(failing) - 1);
    for (const _ of run) await migrateDown(handle.db, { log: () => {} });
    await sql`alter table audit_logs add column request_id text`.execute(handle.db);

    const failure = migrateToLatest(handle.db, { log: () => {} });
    await expect(failure).rejects.toBeInstanceOf(MigrationError);
    await expect(failure).rejects.toMatchObject({
      migrationName: failing,
      message: expect.stringContaining(`Migration ${failing} failed`),
    });
    const status = await migrationStatus(handle.db);
    expect(status.find((migration) => migration.name === run[0])?.executedAt).toBeNull();

    await sql`alter table audit_logs drop column request_id`.execute(handle.db);
    expect(await migrateToLatest(handle.db, { log: () => {} })).toEqual(run);
  });
});
