import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CamelCasePlugin,
  type Dialect,
  Kysely,
  PGliteDialect,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  sql,
} from 'kysely';
import pg from 'pg';
import { acquireEmbeddedLock } from './embedded-lock.ts';
import {
  assertChannelName,
  deliver,
  type ListenOptions,
  type NotificationListener,
  PostgresNotificationListener,
} from './notifications.ts';
import { type PgliteOpenOptions, WorkerPglite } from './pglite-worker.ts';
import type { Database } from './tables/index.ts';

export type DatabaseEngine = 'postgres' | 'pglite';

export interface CreateDatabaseOptions {
  /** A PostgreSQL connection string. Absent: the embedded PGlite database. */
  databaseUrl?: string | undefined;
  /** Where the embedded database lives (default `./.data/pglite`, created when missing). */
  dataDir?: string | undefined;
  /** An embedded database in memory, gone on close(); for tests and throw-away runs. */
  inMemory?: boolean | undefined;
  /** Maximum number of pooled PostgreSQL connections (default 10). */
  poolSize?: number | undefined;
  /**
   * How long to wait for a PostgreSQL connection before failing, whether a new one or a free one of the
   * pool (default 5000 ms).
   */
  connectionTimeoutMillis?: number | undefined;
  /**
   * Longest a statement may run (default: no limit). PostgreSQL cancels it after this long
   * (`statement_timeout`); the driver gives up waiting a little later (`query_timeout`), for a server that
   * no longer answers at all.
   */
  statementTimeoutMillis?: number | undefined;
  /**
   * Errors that happen in the background, outside any call: a connection that drops (idle in the pool or
   * checked out between two statements), a failed reconnect of the LISTEN connection, a throwing
   * notification listener. Default: console.error.
   */
  onError?: ((error: unknown) => void) | undefined;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: DatabaseEngine;
  /**
   * Subscribes to a notification channel (lower-case letters, digits and _). Resolves once listening, with a
   * function that unsubscribes.
   */
  listen(
    channel: string,
    onMessage: NotificationListener,
    options?: ListenOptions,
  ): Promise<() => Promise<void>>;
  /** Sends a notification (delivered when the surrounding transaction, if any, commits). */
  notify(channel: string, payload: string): Promise<void>;
  /** The PostgreSQL pool's connections (for metrics); absent on the embedded database. */
  poolStats?: () => { total: number; idle: number; waiting: number };
  /** Resolves when the database answers a query; rejects (not hangs) when it cannot be reached. */
  ping(): Promise<void>;
  /** Closes every connection and releases the embedded database. Safe to call twice. */
  close(): Promise<void>;
}

export const DEFAULT_DATA_DIR = './.data/pglite';
const DEFAULT_POOL_SIZE = 10;
const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;
/**
 * How much longer than statement_timeout the driver waits for an answer: long enough for the server's own
 * cancellation (a clean error on a connection that stays usable) to arrive first.
 */
const QUERY_TIMEOUT_MARGIN_MS = 500;

const INT8_OID = 20;
const DATE_OID = 1082;

/**
 * Type parsing shared by both engines: bigint columns (counts, balances, epoch milliseconds) as JavaScript
 * numbers, `date` as its 'YYYY-MM-DD' text (a calendar day has no time zone), timestamptz as Date. PGlite's
 * copy is in its worker (pglite-worker-entry.mjs).
 */
const postgresTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return (value: string) => Number(value);
    if (oid === DATE_OID) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Opens the database: PostgreSQL when `databaseUrl` is set (connections are made lazily, so this never
 * fails for an unreachable server: use ping()), otherwise the embedded PGlite database, persisted in
 * `dataDir` and locked to this process, or in memory with `inMemory`.
 *
 * @throws DatabaseLockedError when another live process holds the embedded database.
 */
export async function createDatabase(options: CreateDatabaseOptions = {}): Promise<DatabaseHandle> {
  const onError = options.onError ?? defaultOnError;
  if (options.databaseUrl) return createPostgresHandle(options.databaseUrl, options, onError);
  if (options.inMemory) return createPgliteHandle(await openPglite(), { onError });

  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const lock = acquireEmbeddedLock(dataDir);
  try {
    const pglite = await openPglite({ dataDir });
    return createPgliteHandle(pglite, { onError, onClose: lock.release });
  } catch (error) {
    lock.release();
    throw error;
  }
}

function defaultOnError(error: unknown): void {
  console.error('[@tollgate/db]', error);
}

function createKysely(dialect: Dialect): Kysely<Database> {
  // maintainNestedObjectKeys: jsonb documents come back exactly as they were written.
  return new Kysely<Database>({
    dialect,
    plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })],
  });
}

function createPostgresHandle(
  databaseUrl: string,
  options: CreateDatabaseOptions,
  onError: (error: unknown) => void,
): DatabaseHandle {
  const statementTimeout = options.statementTimeoutMillis;
  const connection: pg.ClientConfig = {
    connectionString: databaseUrl,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    types: postgresTypes,
    ...(statementTimeout === undefined
      ? {}
      : { statement_timeout: statementTimeout, query_timeout: statementTimeout + QUERY_TIMEOUT_MARGIN_MS }),
  };
  const pool = new pg.Pool({
    ...connection,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    application_name: 'tollgate',
  });
  // A connection that dies emits 'error' on its client. pg-pool listens only while the client is idle (and
  // then emits the error on the pool); a checked-out client between two statements — inside a transaction,
  // say — has no listener of its own, and an unhandled 'error' event ends the process. Every client gets one
  // for its whole life: the statement in flight, or the next one, fails with the error (503 for a request),
  // and the pool discards the broken client when it is released.
  const report = reportOnce(onError);
  pool.on('connect', (client) => client.on('error', report));
  pool.on('error', report);
  const db = createKysely(new PostgresDialect({ pool: discardingTimedOutConnections(pool) }));
  const listener = new PostgresNotificationListener(connection, onError);

  return {
    db,
    engine: 'postgres',
    listen: (channel, onMessage, listenOptions) => listener.listen(channel, onMessage, listenOptions),
    notify: (channel, payload) => notify(db, channel, payload),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    ping: () => ping(db),
    close: once(async () => {
      await listener.close();
      await db.destroy();
    }),
  };
}

/** What pg rejects a statement with when no answer came within query_timeout. */
const QUERY_READ_TIMEOUT = 'Query read timeout';

/**
 * The pool as Kysely uses it, except that a connection whose statement got no answer within query_timeout
 * is destroyed when released instead of going back to the pool. It is still waiting for that answer, which a
 * server that hangs may never send: every later statement on it would queue behind and time out in turn (a
 * transaction's ROLLBACK a second time), so they fail at once instead.
 */
function discardingTimedOutConnections(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let timedOut: Error | undefined;
    const query = async (text: string, parameters: readonly unknown[]) => {
      if (timedOut) throw timedOut;
      try {
        return await client.query(text, parameters as unknown[]);
      } catch (error) {
        if (error instanceof Error && error.message === QUERY_READ_TIMEOUT) timedOut = error;
        throw error;
      }
    };
    return {
      // Kysely's type also has the cursor overload, for streaming, which needs a `cursor` this dialect lacks.
      query: query as unknown as PostgresPoolClient['query'],
      // Kysely reads the backend's pid to cancel a statement (an aborted query); pg sets it on connect.
      processID: (client as pg.PoolClient & { processID?: number }).processID,
      release: (destroy) => client.release(destroy === true || timedOut !== undefined),
    };
  };
  return {
    options: pool.options,
    async connect() {
      const client = await pool.connect();
      let connection = wrapped.get(client);
      if (connection === undefined) {
        connection = wrap(client);
        wrapped.set(client, connection);
      }
      return connection;
    },
    end: () => pool.end(),
  };
}

/**
 * Opens a PGlite instance with the shared type parsers (in memory unless dataDir or loadDataDir is given),
 * in the process's PGlite worker thread (pglite-worker.ts): its statements do not block this thread.
 */
export function openPglite(options: PgliteOpenOptions = {}): Promise<WorkerPglite> {
  return WorkerPglite.open(options);
}

export function createPgliteHandle(
  pglite: WorkerPglite,
  options: { onError?: (error: unknown) => void; onClose?: () => void } = {},
): DatabaseHandle {
  const onError = options.onError ?? defaultOnError;
  const db = createKysely(new PGliteDialect({ pglite }));
  // A background failure as the PostgreSQL pool's lost connections are: reported here, and every statement
  // fails as unavailable until the database is open again.
  pglite.onWorkerStopped = onError;

  return {
    db,
    engine: 'pglite',
    async listen(channel, onMessage, listenOptions) {
      assertChannelName(channel);
      const unlisten = await pglite.listen(channel, (payload) => deliver(onMessage, payload, onError), {
        onReconnect: listenOptions?.onReconnect,
      });
      let unsubscribed = false;
      return async () => {
        if (unsubscribed || pglite.closed) return;
        unsubscribed = true;
        await unlisten();
      };
    },
    notify: (channel, payload) => notify(db, channel, payload),
    ping: () => ping(db),
    close: once(async () => {
      try {
        await db.destroy();
        // Kysely closes PGlite only if it ever used it.
        if (!pglite.closed) await pglite.close();
      } finally {
        options.onClose?.();
      }
    }),
  };
}

async function notify(db: Kysely<Database>, channel: string, payload: string): Promise<void> {
  assertChannelName(channel);
  await sql`select pg_notify(${channel}, ${payload})`.execute(db);
}

async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Reports each error once: a dying idle client's error reaches both its own listener and the pool's. */
function reportOnce(onError: (error: unknown) => void): (error: unknown) => void {
  const reported = new WeakSet<object>();
  return (error) => {
    if (typeof error === 'object' && error !== null) {
      if (reported.has(error)) return;
      reported.add(error);
    }
    onError(error);
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => {
    result ??= fn();
    return result;
  };
}
