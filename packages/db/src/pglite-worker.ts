/**
 * PGlite in a worker thread (issue 17): the main thread only posts statements and receives rows, so the
 * WebAssembly PostgreSQL — the background jobs' polling, a cache miss's lookup, a migration — never blocks
 * the event loop that serves requests.
 *
 * One worker per process hosts every instance (tests open many databases per file; PGlite compiles its
 * WebAssembly once per thread). The worker holds the process open only while a request to it is pending, as
 * a socket with a statement in flight would: with nothing pending it is unref'd, so the CLI and the tests
 * exit by themselves with databases still open, as they did with PGlite on the main thread.
 *
 * The worker may die (an uncaught exception, a WebAssembly abort, terminate()): every pending and later
 * statement then fails with EmbeddedDatabaseStoppedError, which isDatabaseUnavailableError counts (503
 * UNAVAILABLE, jobs retry), instead of hanging. A database in a data directory is opened again in a new
 * worker by its next statement (PostgreSQL's own crash recovery replays its WAL), its channels are listened
 * to again and their onReconnect called; an in-memory database is gone with the worker, and keeps failing.
 */
import { Worker } from 'node:worker_threads';

/** What a statement gives back (the part of PGlite's Results that Kysely's PGliteDialect reads). */
export interface WorkerQueryResult<Row> {
  rows: Row[];
  affectedRows?: number;
  fields: { name: string; dataTypeID: number }[];
}

export interface WorkerTransaction {
  query<Row>(sql: string, parameters?: readonly unknown[]): Promise<WorkerQueryResult<Row>>;
  rollback(): Promise<void>;
}

export interface PgliteOpenOptions {
  /** A data directory (persisted; reopened by a new worker after a crash). Absent: in memory. */
  dataDir?: string | undefined;
  /** A dump (dumpDataDir) to start the in-memory database from. */
  loadDataDir?: Blob | undefined;
}

/** Thrown for every statement once the worker running the database has stopped. */
export class EmbeddedDatabaseStoppedError extends Error {
  override readonly name = 'EmbeddedDatabaseStoppedError';
}
/** The message every EmbeddedDatabaseStoppedError starts with (unavailable.ts matches it). */
export const EMBEDDED_DATABASE_STOPPED = 'The embedded database worker stopped';

const WORKER_URL = new URL('./pglite-worker-entry.mjs', import.meta.url);

interface SerializedError {
  name: string;
  message: string;
  fields: Record<string, unknown>;
}

type Answer = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: SerializedError };

interface Notification {
  notification: { key: number; listenId: number; payload: string };
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/** The process's worker: started on first use, started again after it died. */
class PgliteWorkerHost {
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #instances = new Map<number, WorkerPglite>();
  #nextKey = 1;

  register(instance: WorkerPglite): number {
    const key = this.#nextKey++;
    this.#instances.set(key, instance);
    return key;
  }

  unregister(key: number): void {
    this.#instances.delete(key);
  }

  /** Posts one operation and resolves with its result; rejects with the worker's error, rebuilt here. */
  request<T>(message: Record<string, unknown>): Promise<T> {
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.#pending.size === 0) worker.ref();
      this.#pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      try {
        worker.postMessage({ ...message, id });
      } catch (error) {
        this.#settle(id);
        reject(error as Error);
      }
    });
  }

  /** Stops the worker the hard way (tests of a crash); every pending statement fails. */
  async terminate(): Promise<void> {
    await this.#worker?.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER_URL, {
      // The entry is plain JavaScript: no TypeScript loader (tsx, vitest's) needed in the worker.
      execArgv: [],
      // The worker's own output is PGlite's (debug off: nothing); its errors arrive as events.
      stdout: false,
      stderr: false,
    });
    worker.unref();
    let crash: Error | undefined;
    worker.on('message', (message: Answer | Notification) => this.#receive(message));
    worker.on('error', (error) => {
      crash = error;
    });
    worker.on('exit', (exitCode) => {
      if (this.#worker === worker) this.#worker = undefined;
      const error = new EmbeddedDatabaseStoppedError(
        `${EMBEDDED_DATABASE_STOPPED} (exit code ${exitCode}${crash ? `: ${crash.message}` : ''}).`,
        { cause: crash },
      );
      const pending = [...this.#pending.values()];
      this.#pending.clear();
      for (const request of pending) request.reject(error);
      for (const instance of this.#instances.values()) instance.workerStopped(error);
    });
    this.#worker = worker;
    return worker;
  }

  #receive(message: Answer | Notification): void {
    if ('notification' in message) {
      const { key, listenId, payload } = message.notification;
      this.#instances.get(key)?.notified(listenId, payload);
      return;
    }
    const pending = this.#settle(message.id);
    if (!pending) return;
    if (message.ok) pending.resolve(message.result);
    else pending.reject(rebuildError(message.error));
  }

  #settle(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    if (!pending) return undefined;
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker?.unref();
    return pending;
  }
}

/** The error of the worker as this thread sees it: an Error with the same message, name and fields. */
function rebuildError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  Object.assign(error, serialized.fields);
  if (serialized.fields.name === undefined) error.name = serialized.name;
  return error;
}

let host: PgliteWorkerHost | undefined;
function workerHost(): PgliteWorkerHost {
  host ??= new PgliteWorkerHost();
  return host;
}

/** Testing: kills the worker as a crash would. */
export function terminatePgliteWorkerForTesting(): Promise<void> {
  return workerHost().terminate();
}

/**
 * Testing: makes the worker throw an uncaught exception, as a crash in PGlite would; statements sent after
 * this call never run. Resolves once the worker has stopped.
 */
export function crashPgliteWorkerForTesting(): Promise<void> {
  return workerHost()
    .request({ op: 'crash' })
    .then(
      () => {},
      () => {},
    );
}

interface Subscription {
  channel: string;
  listener: (payload: string) => void;
  onReconnect: (() => void) | undefined;
}

/**
 * One PGlite database in the worker, with the part of PGlite's interface the handle and Kysely's
 * PGliteDialect use. PGlite is one connection: a transaction holds it from BEGIN to COMMIT or ROLLBACK, and
 * every other statement waits until then (Kysely's dialect also runs its statements one at a time).
 */
export class WorkerPglite {
  readonly ready = true;
  readonly waitReady = Promise.resolve();
  readonly #host: PgliteWorkerHost;
  readonly #key: number;
  readonly #options: PgliteOpenOptions;
  #closed = false;
  /** Counts the workers that died under this instance: a transaction does not outlive its worker. */
  #generation = 0;
  /** The worker died: a database in a data directory must be opened again before the next statement. */
  #stale = false;
  /** The worker died with this in-memory database in it. */
  #lost: EmbeddedDatabaseStoppedError | undefined;
  #reopening: Promise<void> | undefined;
  /** Settles when the open transaction ends; statements outside it wait for that. */
  #transaction: Promise<void> | undefined;
  readonly #subscriptions = new Map<number, Subscription>();
  #nextListenId = 1;
  /** Told when the worker running this database stopped (the handle's onError). */
  onWorkerStopped: ((error: EmbeddedDatabaseStoppedError) => void) | undefined;

  private constructor(host: PgliteWorkerHost, options: PgliteOpenOptions) {
    this.#host = host;
    this.#options = options;
    this.#key = host.register(this);
  }

  /** Opens a database in the worker (started if need be). */
  static async open(options: PgliteOpenOptions = {}): Promise<WorkerPglite> {
    const host = workerHost();
    const instance = new WorkerPglite(host, options);
    try {
      await instance.#open();
    } catch (error) {
      host.unregister(instance.#key);
      throw error;
    }
    return instance;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async query<Row>(
    sql: string,
    parameters?: readonly unknown[],
    _options?: { rowMode?: 'object' },
  ): Promise<WorkerQueryResult<Row>> {
    await this.#outsideTransaction();
    await this.#ensureOpen();
    return this.#send<Row>(sql, parameters);
  }

  /** Runs `callback` in a transaction: COMMIT when it resolves, ROLLBACK when it throws (as PGlite's). */
  async transaction<T>(callback: (transaction: WorkerTransaction) => Promise<T>): Promise<T> {
    await this.#outsideTransaction();
    let end!: () => void;
    this.#transaction = new Promise<void>((resolve) => {
      end = resolve;
    });
    try {
      await this.#ensureOpen();
      // A worker that dies mid-transaction takes the transaction with it: its later statements must not
      // run, one by one in autocommit, on the database opened again.
      const generation = this.#generation;
      const inTransaction = <Row>(sql: string, parameters?: readonly unknown[]) => {
        if (this.#generation !== generation) {
          return Promise.reject(
            new EmbeddedDatabaseStoppedError(`${EMBEDDED_DATABASE_STOPPED}: the transaction was lost.`),
          );
        }
        return this.#send<Row>(sql, parameters);
      };
      let finished = false;
      const run = async (sql: string) => {
        finished = true;
        await inTransaction(sql);
      };
      const transaction: WorkerTransaction = {
        query: <Row>(sql: string, parameters?: readonly unknown[]) => {
          if (finished) return Promise.reject(new Error('Transaction is closed'));
          return inTransaction<Row>(sql, parameters);
        },
        rollback: () => {
          if (finished) return Promise.reject(new Error('Transaction is closed'));
          return run('ROLLBACK');
        },
      };
      await inTransaction('BEGIN');
      let result: T;
      try {
        result = await callback(transaction);
      } catch (error) {
        if (!finished) await run('ROLLBACK').catch(() => {});
        throw error;
      }
      if (!finished) await run('COMMIT');
      return result;
    } finally {
      this.#transaction = undefined;
      end();
    }
  }

  /** Subscribes to a channel; resolves once listening, with the function that unsubscribes. */
  async listen(
    channel: string,
    listener: (payload: string) => void,
    options: { onReconnect?: (() => void) | undefined } = {},
  ): Promise<() => Promise<void>> {
    await this.#outsideTransaction();
    await this.#ensureOpen();
    const listenId = this.#nextListenId++;
    const subscription = { channel, listener, onReconnect: options.onReconnect };
    this.#subscriptions.set(listenId, subscription);
    try {
      await this.#host.request({ op: 'listen', key: this.#key, listenId, channel });
    } catch (error) {
      this.#subscriptions.delete(listenId);
      throw error;
    }
    return async () => {
      if (!this.#subscriptions.delete(listenId) || this.#closed) return;
      await this.#outsideTransaction();
      await this.#ensureOpen();
      await this.#host.request({ op: 'unlisten', key: this.#key, listenId });
    };
  }

  /** A dump of the data directory (a tarball), made in the worker and handed over as a Blob. */
  async dumpDataDir(compression: 'none' | 'gzip' | 'auto' = 'none'): Promise<Blob> {
    await this.#outsideTransaction();
    await this.#ensureOpen();
    return this.#host.request<Blob>({ op: 'dump', key: this.#key, compression });
  }

  /** Closes the database in the worker (which stays up for the others). Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#subscriptions.clear();
    try {
      // Nothing to close in a worker that died: the database went with it.
      if (!this.#stale && !this.#lost) {
        await this.#host.request({ op: 'close', key: this.#key });
      }
    } catch (error) {
      if (!(error instanceof EmbeddedDatabaseStoppedError)) throw error;
    } finally {
      this.#host.unregister(this.#key);
    }
  }

  /** Called by the host when the worker died. */
  workerStopped(error: EmbeddedDatabaseStoppedError): void {
    if (this.#closed) return;
    this.#generation++;
    // An in-memory database is gone; one in a data directory is opened again by the next statement.
    if (this.#options.dataDir === undefined) this.#lost ??= error;
    else this.#stale = true;
    this.onWorkerStopped?.(error);
  }

  /** Called by the host with a notification for one of this instance's subscriptions. */
  notified(listenId: number, payload: string): void {
    this.#subscriptions.get(listenId)?.listener(payload);
  }

  async #outsideTransaction(): Promise<void> {
    while (this.#transaction) await this.#transaction;
  }

  async #send<Row>(sql: string, parameters: readonly unknown[] | undefined): Promise<WorkerQueryResult<Row>> {
    if (this.#closed) throw new Error('PGlite is closed');
    const result = await this.#host.request<{ rows: Row[]; affectedRows?: number }>({
      op: 'query',
      key: this.#key,
      sql,
      params: parameters ?? [],
    });
    return { rows: result.rows, affectedRows: result.affectedRows, fields: [] };
  }

  async #open(): Promise<void> {
    const { dataDir, loadDataDir } = this.#options;
    await this.#host.request({ op: 'open', key: this.#key, options: { dataDir, loadDataDir } });
  }

  /** Opens the database again in a new worker after the last one died, once for every waiting statement. */
  async #ensureOpen(): Promise<void> {
    if (this.#closed) throw new Error('PGlite is closed');
    if (this.#lost) {
      throw new EmbeddedDatabaseStoppedError(`${this.#lost.message} The in-memory database was lost.`, {
        cause: this.#lost,
      });
    }
    if (!this.#stale) return;
    this.#reopening ??= (async () => {
      try {
        await this.#open();
        this.#stale = false;
        for (const [listenId, { channel }] of this.#subscriptions) {
          await this.#host.request({ op: 'listen', key: this.#key, listenId, channel });
        }
        // Notifications sent while the worker was down are lost: caches they keep fresh start over.
        for (const { onReconnect } of this.#subscriptions.values()) onReconnect?.();
      } finally {
        this.#reopening = undefined;
      }
    })();
    await this.#reopening;
  }
}
