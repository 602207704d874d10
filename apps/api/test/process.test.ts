import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@tollgate/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runServerToExit, spawnServer } from './helpers/spawn-server.ts';

describe('the server process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-process-'));
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** PostgreSQL when the run has DATABASE_URL (a database of this file's own), the embedded default otherwise. */
  async function databaseEnv(): Promise<Record<string, string>> {
    if (!process.env.DATABASE_URL) return { TOLLGATE_DATA_DIR: join(dataDir, 'pglite') };
    const database = await createTestDatabase();
    cleanups.push(() => database.close());
    return { DATABASE_URL: database.url ?? '' };
  }

  it('starts, migrates, answers /healthz and /readyz, and exits 0 on SIGTERM', async () => {
    const server = await spawnServer(await databaseEnv());
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
    // A first start on a new embedded database creates, migrates and seeds it: tens of seconds on a busy machine.
  }, 90_000);

  it('stops with one line naming the variable when the environment is invalid', async () => {
    const { code, output } = await runServerToExit({
      PORT: 'not-a-port',
      TOLLGATE_DATA_DIR: join(dataDir, 'x'),
    });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toContain('PORT');
  });
});
