import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@tollgate/db/testing';
import { parseToken, type TToken, type TTokenWithSecret } from '@tollgate/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer } from './helpers/spawn-server.ts';

/**
 * `pnpm tollgate …` as an operator's script runs it: real processes (`tsx apps/api/src/cli/main.ts` from the
 * repository root), on PostgreSQL when the run has DATABASE_URL and on the embedded database otherwise.
 * The finer behaviour of each command is tested in process, in src/cli/run.test.ts.
 */
const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const embedded = !process.env.DATABASE_URL;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('the tollgate CLI as a process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-cli-'));
  let databaseEnv: Record<string, string>;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    if (embedded) {
      databaseEnv = { TOLLGATE_DATA_DIR: join(dataDir, 'pglite') };
    } else {
      const database = await createTestDatabase();
      cleanups.push(() => database.close());
      databaseEnv = { DATABASE_URL: database.url ?? '' };
    }
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs `pnpm tollgate <command>`; the command is split on spaces, as a shell would (no quoting needed here). */
  async function tollgate(command: string, stdin?: string): Promise<Run> {
    const args = command.split(' ').filter(Boolean);
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...databaseEnv },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // Standard input is closed at once: empty unless the command is given some.
    child.stdin.end(stdin ?? '');
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

  /** Runs a command with --json: it must succeed and print exactly one JSON value on stdout. */
  async function tollgateJson<T>(command: string, stdin?: string): Promise<T> {
    const run = await tollgate(`${command} --json`, stdin);
    expect(run, run.stderr).toMatchObject({ code: 0 });
    return JSON.parse(run.stdout) as T;
  }

  it('creates an organisation, a user, a member and a token from a script; lists and revokes the token', async () => {
    const { organization, owner } = await tollgateJson<{
      organization: { id: string; slug: string; tier: string };
      owner: { email: string; created: boolean };
    }>(
      'org create --name Initech --slug initech --tier premium --owner-email bill@initech.test --owner-password tps-reports-2026',
    );
    expect(organization).toMatchObject({ slug: 'initech', tier: 'premium' });
    expect(owner).toEqual(expect.objectContaining({ email: 'bill@initech.test', created: true }));

    const user = await tollgateJson<{ id: string; email: string }>(
      // The password piped in, as a script keeps it out of the process list.
      'user create --email peter@initech.test --name Peter --password-stdin',
      'no-more-tps\n',
    );
    expect(user.id).toMatch(/^usr_/);

    const member = await tollgateJson<{ userId: string; role: string }>(
      'member add --org initech --email peter@initech.test --role member',
    );
    expect(member).toMatchObject({ userId: user.id, role: 'member' });

    const token = await tollgateJson<TTokenWithSecret>(
      'token create --org initech --user peter@initech.test --name laptop --scopes tokens:read,wiki:write --expires-in-days 30 --ip 10.0.0.0/8,2001:db8::/32',
    );
    expect(parseToken(token.token)).toEqual({ ok: true, kind: 'personal', token: token.token });
    expect(token).toMatchObject({
      type: 'personal',
      subjectUserId: user.id,
      status: 'active',
      ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'],
      prefix: token.token.slice(0, 12),
    });
    expect(token.scopes.sort()).toEqual(['tokens:read', 'wiki:write']);
    const days = (Date.parse(token.expiresAt ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    const revoke = await tollgate(`token revoke ${token.id}`);
    expect(revoke).toMatchObject({ code: 0 });
    expect(revoke.stdout).toContain(token.id);

    // Listed by its prefix, never its secret, and revoked from now on.
    const list = await tollgate('token list --org initech --json');
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain(token.token);
    const listed = JSON.parse(list.stdout) as TToken[];
    expect(listed.map((item) => [item.id, item.prefix, item.status])).toEqual([
      [token.id, token.prefix, 'revoked'],
    ]);
    expect(listed[0]).not.toHaveProperty('token');
  }, 180_000);

  it('refuses a mistyped command line with exit 2 and one line on stderr', async () => {
    const [unknownFlag, missingChoice] = await Promise.all([
      tollgate('token list --org initech --format yaml'),
      tollgate('token create --org initech --name x'),
    ]);
    for (const run of [unknownFlag, missingChoice]) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain('Usage: pnpm tollgate token');
    }
    expect(unknownFlag.stderr).toContain("Unknown option '--format'");
    expect(missingChoice.stderr).toContain('--user <email> and --service');
  }, 60_000);

  it.runIf(embedded)(
    'says in one line that a running server holds the embedded database, and exits 1',
    async () => {
      const server = await spawnServer(databaseEnv, 120_000);
      try {
        const run = await tollgate('token list --org initech');
        expect(run.code).toBe(1);
        expect(run.stdout).toBe('');
        expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(run.stderr).toMatch(/in use by another process \(pid \d+\)/);
      } finally {
        expect(await server.stop('SIGTERM')).toBe(0);
      }
    },
    180_000,
  );

  it.runIf(!embedded)(
    'works alongside a running server on PostgreSQL',
    async () => {
      const server = await spawnServer(databaseEnv, 120_000);
      try {
        const run = await tollgate('token list --org initech --json');
        expect(run, run.stderr).toMatchObject({ code: 0 });
        expect((JSON.parse(run.stdout) as TToken[]).map((token) => token.status)).toEqual(['revoked']);
      } finally {
        expect(await server.stop('SIGTERM')).toBe(0);
      }
    },
    180_000,
  );
});
