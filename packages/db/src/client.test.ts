import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createDatabase, type DatabaseHandle } from './client.ts';
import { DatabaseLockedError, LOCK_FILE_NAME } from './embedded-lock.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';
import { isDatabaseUnavailableError } from './unavailable.ts';

/** Resolves with the next payload on the channel. */
async function nextMessage(handle: DatabaseHandle, channel: string) {
  let received: (payload: string) => void = () => {};
  const message = new Promise<string>((resolve) => {
    received = resolve;
  });
  const unlisten = await handle.listen(channel, (payload) => received(payload));
  return { message, unlisten };
}

describe('notifications', () => {
  let handle: TestDatabase;
  let other: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase();
    // PostgreSQL: a second handle (as a second API process would have); PGlite: one process, one handle.
    other = handle.url ? await createDatabase({ databaseUrl: handle.url, poolSize: 1 }) : handle;
  });
  afterAll(async () => {
    if (other !== handle) await other.close();
    await handle.close();
  });

  test('notify delivers the payload to listeners of the channel', async () => {
    const { message, unlisten } = await nextMessage(handle, 'token_events');
    const elsewhere = vi.fn();
    const unlistenElsewhere = await handle.listen('other_events', elsewhere);
    const payload = JSON.stringify({ type: 'token.revoked', id: "tok_'quoted'" });
    await other.notify('token_events', payload);
    await expect(message).resolves.toBe(payload);
    expect(elsewhere).not.toHaveBeenCalled();
    await unlisten();
    await unlistenElsewhere();
  });

  test('one channel serves several listeners, and unsubscribing stops delivery', async () => {
    const first = vi.fn();
    const unlistenFirst = await handle.listen('shared', first);
    const { message, unlisten } = await nextMessage(handle, 'shared');
    await other.notify('shared', 'one');
    await expect(message).resolves.toBe('one');
    expect(first).toHaveBeenCalledWith('one');

    await unlistenFirst();
    const { message: second, unlisten: unlistenSecond } = await nextMessage(handle, 'shared');
    await other.notify('shared', 'two');
    await expect(second).resolves.toBe('two');
    expect(first).toHaveBeenCalledTimes(1);
    await unlisten();
    await unlistenSecond();
  });

  test('a notification sent in a transaction is delivered on commit only', async () => {
    const listener = vi.fn();
    const unlisten = await handle.listen('tx_events', listener);
    await other.db
      .transaction()
      .execute(async (tx) => {
        await sql`select pg_notify('tx_events', 'rolled back')`.execute(tx);
        throw new Error('roll back');
      })
      .catch(() => {});
    const { message, unlisten: unlistenCommitted } = await nextMessage(handle, 'tx_events');
    await other.notify('tx_events', 'committed');
    await expect(message).resolves.toBe('committed');
    expect(listener.mock.calls).toEqual([['committed']]);
    await unlisten();
    await unlistenCommitted();
  });

  test('channel names are plain lower-case identifiers', async () => {
    await expect(handle.listen('Token-Events', () => {})).rejects.toThrow('Invalid notification channel');
    await expect(handle.notify('x; drop table tokens', '')).rejects.toThrow('Invalid notification channel');
  });

  test.runIf(process.env.DATABASE_URL)('PostgreSQL: listening survives a dropped connection', async () => {
    const onError = vi.fn();
    const listening = await createDatabase({ databaseUrl: handle.url, poolSize: 1, onError });
    const reconnected = vi.fn();
    let received: (payload: string) => void = () => {};
    await listening.listen('survivor', (payload) => received(payload), { onReconnect: reconnected });
    await sql`
      select pg_terminate_backend(pid) from pg_stat_activity
      where application_name = 'tollgate-listener' and datname = current_database() and query = 'LISTEN survivor'
    `.execute(other.db);
    await vi.waitFor(() => expect(reconnected).toHaveBeenCalledTimes(1), { timeout: 10_000 });
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: '57P01' }));
    const message = new Promise<string>((resolve) => {
      received = resolve;
    });
    await other.notify('survivor', 'still here');
    await expect(message).resolves.toBe('still here');
    await listening.close();
  });
});

describe.runIf(process.env.DATABASE_URL)('PostgreSQL connections that fail while in use', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  test('a connection dropped between two statements of a transaction fails the transaction, not the process', async () => {
    const onError = vi.fn();
    const handle = await createDatabase({ databaseUrl: database.url, poolSize: 1, onError });
    try {
      const failure = await handle.db
        .transaction()
        .execute(async (tx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
          // The server ends the connection while it is checked out and idle: pg emits 'error' on the client,
          // which without a listener of its own ends the process.
          await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(database.db);
          await vi.waitFor(() => expect(onError).toHaveBeenCalled(), { timeout: 5_000 });
          await sql`select 1`.execute(tx);
        })
        .catch((error: unknown) => error);
      expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: '57P01' }));
      expect(isDatabaseUnavailableError(failure)).toBe(true);
      // The broken connection was dropped; the pool's next one works.
      await handle.ping();
    } finally {
      await handle.close();
    }
  });

  test('a statement without an answer fails after the query timeout, once, and its connection is not reused', async () => {
    const handle = await createDatabase({
      databaseUrl: database.url,
      poolSize: 1,
      statementTimeoutMillis: 1_000,
    });
    try {
      const started = performance.now();
      const failure = await handle.db
        .transaction()
        .execute(async (tx) => {
          // Stands for a server that stops answering: no statement_timeout to cancel it server-side.
          await sql`set local statement_timeout = 0`.execute(tx);
          await sql`select pg_sleep(4)`.execute(tx);
        })
        .catch((error: unknown) => error);
      const elapsed = performance.now() - started;
      expect(failure).toMatchObject({ message: 'Query read timeout' });
      expect(isDatabaseUnavailableError(failure)).toBe(true);
      // One query timeout (1.5 s): the ROLLBACK does not wait a second one behind the statement still running.
      expect(elapsed).toBeLessThan(2_700);
      // The stuck connection was destroyed, so the next statement does not queue behind pg_sleep.
      const pinged = performance.now();
      await handle.ping();
      expect(performance.now() - pinged).toBeLessThan(1_000);
    } finally {
      await handle.close();
    }
  });
});

describe('an unreachable PostgreSQL server', () => {
  test('ping() fails when the connection is refused', async () => {
    const handle = await createDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/tollgate' });
    await expect(handle.ping()).rejects.toThrow();
    await handle.close();
  });

  describe('that accepts connections but never answers', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer(() => {});
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(async () => {
      server.close();
    });

    test('ping() fails after the connection timeout instead of hanging, classified as unavailable', async () => {
      const handle = await createDatabase({
        databaseUrl: `postgres://postgres@127.0.0.1:${port}/tollgate`,
        connectionTimeoutMillis: 300,
        onError: () => {},
      });
      const started = Date.now();
      const error = await handle.ping().catch((caught: unknown) => caught);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(/timeout/i);
      expect(isDatabaseUnavailableError(error)).toBe(true);
      await handle.close();
    });
  });
});

// Embedded only: with DATABASE_URL set this would test exactly the same thing a second time.
describe.skipIf(process.env.DATABASE_URL)('the embedded database', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tollgate-db-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('belongs to one process at a time; a stale lock is taken over', { timeout: 60_000 }, async () => {
    const lockFile = join(dataDir, LOCK_FILE_NAME);
    const first = await createDatabase({ dataDir });
    expect(first.engine).toBe('pglite');
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
    await sql`create table notes (body text)`.execute(first.db);
    await sql`insert into notes values ('kept')`.execute(first.db);

    const second = createDatabase({ dataDir });
    await expect(second).rejects.toBeInstanceOf(DatabaseLockedError);
    await expect(second).rejects.toThrow(
      `The embedded database at ${dataDir} is in use by another process (pid ${process.pid}). Stop it or set DATABASE_URL.`,
    );

    await first.close();
    // A lock left by a process that no longer exists.
    writeFileSync(lockFile, '2147483646\n');
    const reopened = await createDatabase({ dataDir });
    const { rows } = await sql<{ body: string }>`select body from notes`.execute(reopened.db);
    expect(rows).toEqual([{ body: 'kept' }]);
    await reopened.close();
    expect(() => readFileSync(lockFile)).toThrow();
  });
});
