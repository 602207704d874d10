/**
 * The embedded PGlite in its worker thread (pglite-worker.ts), on real PGlite: what crosses the thread
 * boundary (rows, types, errors, notifications), transactions on its one connection, a long statement that no
 * longer blocks this thread, closing, and a worker that dies.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createPgliteHandle, type DatabaseHandle, openPglite } from './client.ts';
import {
  crashPgliteWorkerForTesting,
  EmbeddedDatabaseStoppedError,
  terminatePgliteWorkerForTesting,
} from './pglite-worker.ts';
import { isDatabaseUnavailableError } from './unavailable.ts';

const opened: DatabaseHandle[] = [];
const directories: string[] = [];

/** A fresh in-memory database, loaded from a dump (much faster than initdb each time). */
let fresh: Blob;
beforeAll(async () => {
  const pglite = await openPglite();
  fresh = await pglite.dumpDataDir('none');
  await pglite.close();
}, 60_000);

async function inMemory(): Promise<DatabaseHandle> {
  const handle = createPgliteHandle(await openPglite({ loadDataDir: fresh }));
  opened.push(handle);
  return handle;
}

function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'tollgate-pglite-worker-'));
  directories.push(directory);
  return directory;
}

afterEach(async () => {
  for (const handle of opened.splice(0)) await handle.close();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('the embedded database in its worker thread', () => {
  it('gives rows with the shared type parsing: int8 as number, date as text, timestamptz as Date', async () => {
    const { db } = await inMemory();
    const { rows } = await sql<{ big: unknown; day: unknown; at: unknown; doc: unknown; bytes: unknown }>`
      select 9007199254740991::int8 as big, date '2026-12-03' as day,
             timestamptz '2026-12-03T10:00:00Z' as at, '{"a":[1,{"b":null}]}'::jsonb as doc,
             '\\x0102'::bytea as bytes`.execute(db);
    expect(rows).toEqual([
      {
        big: 9007199254740991,
        day: '2026-12-03',
        at: new Date('2026-12-03T10:00:00Z'),
        doc: { a: [1, { b: null }] },
        bytes: new Uint8Array([1, 2]),
      },
    ]);
    const inserted = await sql`select ${new Date('2026-01-02T03:04:05Z')}::timestamptz as at`.execute(db);
    expect(inserted.rows).toEqual([{ at: new Date('2026-01-02T03:04:05Z') }]);
  });

  it('keeps the fields of a PostgreSQL error (code, constraint, detail) across the thread boundary', async () => {
    const { db } = await inMemory();
    await sql`create table things (name text constraint things_name_key unique)`.execute(db);
    await sql`insert into things values ('a')`.execute(db);
    const error = await sql`insert into things values ('a')`.execute(db).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: '23505',
      constraint: 'things_name_key',
      detail: 'Key (name)=(a) already exists.',
      table: 'things',
      severity: 'ERROR',
      message: 'duplicate key value violates unique constraint "things_name_key"',
    });
    expect(isDatabaseUnavailableError(error)).toBe(false);
    // The connection is fine afterwards.
    expect((await sql<{ n: number }>`select count(*)::int as n from things`.execute(db)).rows).toEqual([
      { n: 1 },
    ]);
  });

  it('runs a transaction alone: a statement sent meanwhile waits for its end and is not rolled back with it', async () => {
    const { db } = await inMemory();
    await sql`create table events (n int)`.execute(db);
    let outside: Promise<unknown> | undefined;
    const transaction = db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into events values (1)`.execute(trx);
        outside = sql`insert into events values (2)`.execute(db);
        await sleep(50);
        const seen = await sql<{ n: number }>`select n from events order by n`.execute(trx);
        expect(seen.rows).toEqual([{ n: 1 }]);
        throw new Error('roll back');
      })
      .catch((error: Error) => error.message);
    expect(await transaction).toBe('roll back');
    await outside;
    expect((await sql<{ n: number }>`select n from events`.execute(db)).rows).toEqual([{ n: 2 }]);
  });

  it('keeps the same isolation for statements sent to the instance directly, beside a transaction', async () => {
    const pglite = await openPglite({ loadDataDir: fresh });
    try {
      await pglite.query('create table events (n int)');
      const order: string[] = [];
      const transaction = pglite.transaction(async (tx) => {
        await tx.query('insert into events values (1)');
        order.push('inserted in transaction');
        await sleep(50);
        await tx.query('insert into events values (3)');
        order.push('transaction done');
      });
      await sleep(10);
      const outside = pglite.query('insert into events values (2)').then(() => order.push('outside'));
      await Promise.all([transaction, outside]);
      expect(order).toEqual(['inserted in transaction', 'transaction done', 'outside']);
      const { rows } = await pglite.query<{ n: number }>('select n from events order by n');
      expect(rows).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    } finally {
      await pglite.close();
    }
  });

  it('delivers notifications across the thread boundary, and stops after unsubscribing', async () => {
    const handle = await inMemory();
    const received: string[] = [];
    const unsubscribe = await handle.listen('token_events', (payload) => received.push(payload));
    await handle.notify('token_events', 'first');
    await handle.db.transaction().execute(async (trx) => {
      await sql`select pg_notify('token_events', 'in a transaction')`.execute(trx);
    });
    await expect.poll(() => received).toEqual(['first', 'in a transaction']);
    await unsubscribe();
    await unsubscribe();
    await handle.notify('token_events', 'after');
    await handle.ping();
    await sleep(20);
    expect(received).toEqual(['first', 'in a transaction']);
  });

  it('does not block this thread while a statement runs: timers fire on time during pg_sleep(0.3)', async () => {
    const { db } = await inMemory();
    await db.selectNoFrom(sql<number>`1`.as('one')).execute(); // the worker is warm
    const ticks: number[] = [];
    let previous = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      ticks.push(now - previous);
      previous = now;
    }, 10);
    const started = performance.now();
    try {
      await sql`select pg_sleep(0.3)`.execute(db);
    } finally {
      clearInterval(timer);
    }
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    // On the main thread the interval would not fire at all during the 300 ms; here it keeps its pace
    // (generous bounds: the machine may be busy).
    expect(ticks.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...ticks)).toBeLessThan(150);
  });

  it('close() releases the data directory (reopened with its data) and is safe twice; later statements fail', async () => {
    const dataDir = temporaryDirectory();
    const first = await createDatabase({ dataDir });
    await sql`create table kept (n int)`.execute(first.db);
    await sql`insert into kept values (7)`.execute(first.db);
    await first.close();
    await first.close();
    await expect(sql`select 1`.execute(first.db)).rejects.toThrow();
    await expect(first.ping()).rejects.toThrow();

    const second = await createDatabase({ dataDir });
    opened.push(second);
    expect((await sql<{ n: number }>`select n from kept`.execute(second.db)).rows).toEqual([{ n: 7 }]);
  });

  it('hosts many databases in one worker, each its own', async () => {
    const handles = await Promise.all([inMemory(), inMemory(), inMemory()]);
    await Promise.all(
      handles.map((handle, index) => sql`create table t${sql.raw(String(index))} (n int)`.execute(handle.db)),
    );
    for (const [index, handle] of handles.entries()) {
      const { rows } = await sql<{
        name: string;
      }>`select tablename as name from pg_tables where schemaname = 'public'`.execute(handle.db);
      expect(rows).toEqual([{ name: `t${index}` }]);
    }
  });

  it('dumps a database in the worker and opens another from the dump', async () => {
    const pglite = await openPglite({ loadDataDir: fresh });
    await pglite.query('create table dumped (n int)');
    await pglite.query('insert into dumped values (42)');
    const dump = await pglite.dumpDataDir('none');
    await pglite.close();
    expect(dump).toBeInstanceOf(Blob);
    const copy = await openPglite({ loadDataDir: dump });
    try {
      expect((await copy.query<{ n: number }>('select n from dumped')).rows).toEqual([{ n: 42 }]);
    } finally {
      await copy.close();
    }
  });

  it('a crash of the worker fails pending and later statements as unavailable instead of hanging; a data directory comes back', async () => {
    const memory = await inMemory();
    const dataDir = temporaryDirectory();
    const reported: unknown[] = [];
    const persisted = await createDatabase({ dataDir, onError: (error) => reported.push(error) });
    opened.push(persisted);
    await sql`create table kept (n int)`.execute(persisted.db);
    await sql`insert into kept values (1)`.execute(persisted.db);
    let reconnected = 0;
    const received: string[] = [];
    await persisted.listen('kept_changes', (payload) => received.push(payload), {
      onReconnect: () => reconnected++,
    });

    const inTransaction = persisted.db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into kept values (2)`.execute(trx);
        await sleep(200);
        await sql`insert into kept values (3)`.execute(trx);
      })
      .catch((error: unknown) => error);
    await sleep(50);
    const crashed = crashPgliteWorkerForTesting();
    // Sent after the crash: the worker never gets to it.
    const pending = sql`select 1`.execute(memory.db).catch((error: unknown) => error);
    await crashed;

    const failure = await pending;
    expect(failure).toBeInstanceOf(EmbeddedDatabaseStoppedError);
    expect(isDatabaseUnavailableError(failure)).toBe(true);
    expect(isDatabaseUnavailableError(await inTransaction)).toBe(true);
    // Reported in the background, as a PostgreSQL connection that drops is.
    expect(reported).toHaveLength(1);
    expect(isDatabaseUnavailableError(reported[0])).toBe(true);

    // The in-memory database went with the worker: it keeps failing, quickly, as unavailable.
    const later = await memory.ping().catch((error: unknown) => error);
    expect(isDatabaseUnavailableError(later)).toBe(true);

    // The data directory is opened again by a new worker: committed data only, listening again.
    expect((await sql<{ n: number }>`select n from kept order by n`.execute(persisted.db)).rows).toEqual([
      { n: 1 },
    ]);
    expect(reconnected).toBe(1);
    await persisted.notify('kept_changes', 'again');
    await expect.poll(() => received).toEqual(['again']);

    // New databases open in the new worker.
    const another = await inMemory();
    await another.ping();
  });

  it('a terminated worker fails a statement in flight as unavailable', async () => {
    const { db } = await inMemory();
    const pending = sql`select pg_sleep(2)`.execute(db).catch((error: unknown) => error);
    await sleep(50);
    await terminatePgliteWorkerForTesting();
    expect(isDatabaseUnavailableError(await pending)).toBe(true);
  });

  it('does not keep the process alive: a script that leaves its database open exits by itself', async () => {
    const script = `
      import { createDatabase } from './src/client.ts';
      const handle = await createDatabase({ inMemory: true });
      const rows = await handle.db.selectNoFrom((eb) => eb.val(1).as('one')).execute();
      console.log('answered', rows[0].one);
    `;
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '--eval', script],
        { timeout: 30_000, cwd: fileURLToPath(new URL('..', import.meta.url)) },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      );
    });
    expect(output.trim()).toBe('answered 1');
  }, 40_000);
});
