/**
 * The client's own test server: the real api, started as a process through its public entry points (its
 * `tollgate` bin for seeding and the `src/main.ts` that `pnpm start` runs), on a database of its own —
 * PostgreSQL when DATABASE_URL is set, the embedded database otherwise. Nothing of the api's test helpers:
 * what the client is tested against is what its users run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTestDatabase } from '@tollgate/db/testing';

const API_SRC = dirname(createRequire(import.meta.url).resolve('@tollgate/api'));
const SERVER_MAIN = join(API_SRC, 'main.ts');
const CLI_BIN = join(API_SRC, '..', 'bin', 'tollgate.js');

export interface TestServer {
  /** The server's base URL, e.g. `http://127.0.0.1:53124/`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Runs `tollgate <command> --json` and resolves with the one JSON value it prints; the command is split on
 * spaces (no quoting).
 */
export type Tollgate = <T>(command: string) => Promise<T>;

async function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [command, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/**
 * Seeds the database with the CLI (`seed` gets a `tollgate` to call), then starts the server on a free port
 * and resolves once it listens. Seeding comes first because the embedded database admits one process at a time.
 */
export async function startTestServer(seed: (tollgate: Tollgate) => Promise<void>): Promise<TestServer> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, LOG_LEVEL: 'warn' };
  if (process.env.DATABASE_URL) {
    const database = await createTestDatabase();
    cleanups.push(() => database.close());
    env.DATABASE_URL = database.url;
    if (process.env.REDIS_URL) env.REDIS_URL = process.env.REDIS_URL;
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-client-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    env.TOLLGATE_DATA_DIR = join(dataDir, 'pglite');
  }
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };

  try {
    await seed(async <T>(command: string): Promise<T> => {
      const result = await run(CLI_BIN, [...command.split(' ').filter(Boolean), '--json'], env);
      if (result.code !== 0) throw new Error(`tollgate ${command} exited ${result.code}: ${result.stderr}`);
      return JSON.parse(result.stdout) as T;
    });
    const server = await listen({ ...env, PORT: '0', HOST: '127.0.0.1' });
    return {
      url: server.url,
      async close() {
        await server.stop();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

async function listen(env: NodeJS.ProcessEnv): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SERVER_MAIN], {
    cwd: join(API_SRC, '..'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1].endsWith('/') ? match[1] : `${match[1]}/`);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`the server exited with ${code} before listening:\n${output}`)),
    );
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
