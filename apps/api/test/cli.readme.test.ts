import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@tollgate/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The README's `pnpm tollgate …` lines pasted into a shell at the repository root, as a user runs them:
 * through pnpm itself, so that whatever pnpm prints around the command is part of what is checked (§11:
 * `--json` prints exactly one JSON value on stdout, and a password given on the command line is never echoed).
 */
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** The `pnpm tollgate` lines of the ```sh blocks of the README section `## CLI`. */
function cliExamples(): string[] {
  const section = /^## CLI\n([\s\S]*?)(?=^## )/m.exec(README)?.[1] ?? '';
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] as string);
  return blocks.flatMap((block) => block.split('\n').filter((line) => line.includes('pnpm tollgate ')));
}

function example(pattern: RegExp): string {
  const line = cliExamples().find((candidate) => pattern.test(candidate));
  if (!line) throw new Error(`the README's CLI section has no line matching ${pattern}`);
  return line;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('the README CLI commands, pasted into a shell', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-cli-readme-'));
  let databaseEnv: Record<string, string>;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    if (process.env.DATABASE_URL) {
      const database = await createTestDatabase();
      cleanups.push(() => database.close());
      databaseEnv = { DATABASE_URL: database.url ?? '' };
    } else {
      databaseEnv = { TOLLGATE_DATA_DIR: join(dataDir, 'pglite') };
    }
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function shell(line: string): Promise<Run> {
    const child = spawn('sh', ['-c', line], {
      cwd: REPO_ROOT,
      // Only what a user's shell has: no npm_* variables of the pnpm that runs this test.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...databaseEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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

  it('org create --json prints only JSON on stdout and never echoes the owner password', async () => {
    const line = example(/^pnpm tollgate org create .*--json$/);
    const password = /--owner-password '([^']+)'/.exec(line)?.[1];
    expect(password, 'the README example passes the password on the command line').toBeTruthy();

    const run = await shell(line);
    expect(run, run.stderr).toMatchObject({ code: 0 });
    const created = JSON.parse(run.stdout) as { organization: { slug: string }; owner: { created: boolean } };
    expect(created.organization.slug).toBe(/--slug (\S+)/.exec(line)?.[1]);
    expect(created.owner.created).toBe(true);
    expect(run.stdout).not.toContain(password);
    expect(run.stderr).not.toContain(password);
  }, 60_000);

  it("a README --json command piped into JSON.parse works as pasted (the issue's own check)", async () => {
    const line = example(/^pnpm tollgate token create .*--service.*--json$/);
    const run = await shell(`${line} | node -e 'JSON.parse(require("fs").readFileSync(0, "utf8"))'`);
    expect(run, run.stderr).toMatchObject({ code: 0 });
  }, 60_000);
});
