/**
 * The worker thread that hosts every PGlite instance of the process (pglite-worker.ts is its other half, on
 * the main thread). PGlite's WebAssembly runs here, so a statement — a background job's, a cache miss's —
 * no longer blocks the thread that serves requests.
 *
 * Plain JavaScript on purpose: a worker does not inherit vitest's or tsx's TypeScript loading in every way
 * the process is started (vitest, `node --import tsx`, the CLI), and this file needs nothing but PGlite.
 *
 * Protocol: the main thread posts `{ id, op, key, ... }`; each answer is `{ id, ok: true, result }` or
 * `{ id, ok: false, error: { name, message, fields } }`, and a notification `{ notification: { key,
 * listenId, payload } }`. `key` names an instance; one instance's operations run one after another in the
 * order they arrived.
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { PGlite, types } from '@electric-sql/pglite';

if (!parentPort) throw new Error('pglite-worker-entry.mjs runs as a worker thread only.');
const port = parentPort;

/**
 * Type parsing (the same as the PostgreSQL pool's, client.ts): bigint as number, `date` as its
 * 'YYYY-MM-DD' text; timestamptz stays a Date, which the structured clone to the main thread keeps.
 */
const parsers = {
  [types.INT8]: (value) => Number(value),
  [types.DATE]: (value) => value,
};

/**
 * PGlite's file-system image, read once for every instance (PGlite would read it again for each). The
 * compiled WebAssembly modules PGlite already caches per thread.
 */
let fsBundle;
function loadFsBundle() {
  if (fsBundle === undefined) {
    try {
      const url = new URL('./pglite.data', import.meta.resolve('@electric-sql/pglite'));
      fsBundle = new Blob([readFileSync(url)]);
    } catch {
      fsBundle = null; // PGlite finds it itself.
    }
  }
  return fsBundle ?? undefined;
}

/** key → { pglite, queue: Promise, unlisten: Map<listenId, () => Promise<void>> } */
const instances = new Map();

const operations = {
  async open(message) {
    const { dataDir, loadDataDir } = message.options;
    const bundle = loadFsBundle();
    const pglite = await PGlite.create({
      ...(dataDir === undefined ? {} : { dataDir }),
      ...(loadDataDir === undefined ? {} : { loadDataDir }),
      ...(bundle === undefined ? {} : { fsBundle: bundle }),
      parsers,
    });
    instances.set(message.key, { pglite, queue: Promise.resolve(), unlisten: new Map() });
  },
  async query(message, instance) {
    const { rows, affectedRows } = await instance.pglite.query(message.sql, message.params, {
      rowMode: 'object',
    });
    return { rows, affectedRows };
  },
  async listen(message, instance) {
    const unlisten = await instance.pglite.listen(message.channel, (payload) => {
      port.postMessage({ notification: { key: message.key, listenId: message.listenId, payload } });
    });
    instance.unlisten.set(message.listenId, unlisten);
  },
  async unlisten(message, instance) {
    const unlisten = instance.unlisten.get(message.listenId);
    instance.unlisten.delete(message.listenId);
    if (unlisten && !instance.pglite.closed) await unlisten();
  },
  async dump(message, instance) {
    return instance.pglite.dumpDataDir(message.compression);
  },
  async close(message, instance) {
    instances.delete(message.key);
    if (!instance.pglite.closed) await instance.pglite.close();
  },
};

port.on('message', (message) => {
  // For the tests of a crashed worker: an uncaught exception ends this thread, before any later message.
  if (message.op === 'crash') throw new Error('The PGlite worker was asked to crash (test).');
  const operation = operations[message.op];
  if (message.op === 'open') {
    reply(message.id, () => operation(message));
    return;
  }
  const instance = instances.get(message.key);
  if (!instance) {
    reply(message.id, () => {
      throw new Error('PGlite is closed');
    });
    return;
  }
  instance.queue = instance.queue.then(() => reply(message.id, () => operation(message, instance)));
});

async function reply(id, run) {
  let answer;
  try {
    answer = { id, ok: true, result: await run() };
  } catch (error) {
    answer = { id, ok: false, error: serializeError(error) };
  }
  try {
    port.postMessage(answer);
  } catch (error) {
    // A result the structured clone cannot carry (a function in a row, say): fail that statement only.
    port.postMessage({ id, ok: false, error: serializeError(error) });
  }
}

/**
 * An error as the main thread rebuilds it: its message, name and every own field of a plain value — a
 * PostgreSQL error's code, detail, constraint, table, severity, … — so that `error.code === '23505'` and
 * the constraint checks keep working on this side of the thread boundary.
 */
function serializeError(error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields = {};
  for (const [name, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) {
      fields[name] = value;
    }
  }
  return { name: error.name, message: error.message, fields };
}
