import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@tollgate/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../src/env.ts';

/**
 * The container (§17) without a container engine, which cannot pull images here: compose.yaml's variables
 * held to env.ts and the README's table, and the Dockerfile's own commands run in a fresh clone of HEAD.
 */
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');
const run = promisify(execFile);

/** The variables of the README's configuration table (its first column). */
function readmeVariables(): Set<string> {
  return new Set(
    [...read('README.md').matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((match) => match[1] as string),
  );
}

/**
 * `KEY: value` pairs of every `environment:` mapping in compose.yaml, by service (anchors under their
 * `x-` name). The file keeps to block mappings, which is all this reads; a list-form entry fails the test.
 */
function composeEnvironments(yaml: string): Map<string, Record<string, string>> {
  const result = new Map<string, Record<string, string>>();
  let top = '';
  let owner = '';
  let block: { indent: number; values: Record<string, string> } | null = null;
  for (const line of yaml.split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    const indent = line.length - line.trimStart().length;
    if (block && indent <= block.indent) block = null;
    if (block) {
      const pair = /^\s*([A-Za-z_][A-Za-z0-9_]*): ?(.*)$/.exec(line);
      if (!pair) throw new Error(`compose.yaml: an environment entry that is not KEY: value: ${line.trim()}`);
      block.values[pair[1] as string] = (pair[2] as string).replace(/^"(.*)"$/, '$1');
      continue;
    }
    const key = /^( *)([\w.-]+):/.exec(line);
    if (key && indent === 0) top = key[2] as string;
    if (key && (indent === 0 || (indent === 2 && top === 'services'))) owner = key[2] as string;
    if (/^\s*environment:\s*$/.test(line)) {
      const values: Record<string, string> = {};
      result.set(owner, values);
      block = { indent, values };
    }
  }
  return result;
}

/** Images that are not Tollgate's: their variables belong to them (POSTGRES_PASSWORD, …). */
const THIRD_PARTY_SERVICES = new Set(['postgres', 'redis', 'proxy']);

describe('compose.yaml', () => {
  const environments = composeEnvironments(read('compose.yaml'));
  const tollgate = [...environments].filter(([service]) => !THIRD_PARTY_SERVICES.has(service));

  it('sets Tollgate variables in the API anchor and the migrate service', () => {
    expect(tollgate.map(([service]) => service).sort()).toEqual(['migrate', 'x-api']);
  });

  it('sets only variables that env.ts knows, with values it accepts, and that the README documents', () => {
    const documented = readmeVariables();
    const dockerfileEnv = [...read('Dockerfile').matchAll(/^ENV (.+)$/gm)].flatMap((match) =>
      (match[1] as string).split(/\s+/).map((pair) => pair.split('=') as [string, string]),
    );
    const variables = [...tollgate.flatMap(([, values]) => Object.entries(values)), ...dockerfileEnv];
    expect(variables.length).toBeGreaterThan(3);
    for (const [name, value] of variables) {
      expect(documented, `${name} is not in the README's table`).toContain(name);
      const parsed = loadEnv({ [name]: value }) as Record<string, unknown>;
      expect(parsed[name], `${name} is not a variable of env.ts`).toBeDefined();
    }
  });
});

/** A port that was free a moment ago (the HEALTHCHECK reads PORT, so the server cannot take port 0). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

interface Stage {
  name: string;
  from: string;
  lines: string[];
}

/** The Dockerfile's stages with their instructions (continuation lines joined, comments dropped). */
function dockerfileStages(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const line of text.replace(/\\\n/g, ' ').split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    const from = /^FROM (\S+)(?: AS (\S+))?$/.exec(line);
    if (from) stages.push({ from: from[1] as string, name: from[2] ?? `stage${stages.length}`, lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

const hasServices = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
if (!hasServices) {
  console.warn('container.test.ts: the Dockerfile check needs DATABASE_URL and REDIS_URL; skipped');
}

describe.runIf(hasServices)('the Dockerfile, run as written in a fresh clone of HEAD', () => {
  let work = '';
  let database: TestDatabase | undefined;
  let server: ChildProcess | undefined;
  afterAll(async () => {
    if (server?.exitCode === null) server.kill('SIGKILL');
    await database?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installs, builds, keeps production dependencies only, starts on PostgreSQL + Redis, is healthy, stops on SIGTERM', async () => {
    work = mkdtempSync(join(tmpdir(), 'tollgate-dockerfile-'));
    const stages = dockerfileStages(read('Dockerfile'));
    const byName = new Map(stages.map((stage) => [stage.name, stage]));
    const pnpmVersion = (JSON.parse(read('package.json')) as { packageManager: string }).packageManager;
    const { stdout: localPnpm } = await run('pnpm', ['--version']);

    /** The instructions of a stage with those of the stages it is built FROM. */
    const lineage = (stage: Stage): string[] => {
      const parent = byName.get(stage.from);
      return [...(parent ? lineage(parent) : []), ...stage.lines];
    };
    const dirs = new Map<string, string>();
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };

    const runtime = stages.at(-1) as Stage;
    for (const stage of stages.slice(0, -1)) {
      const dir = join(work, stage.name);
      dirs.set(stage.name, dir);
      for (const line of lineage(stage)) {
        const [instruction, ...rest] = line.split(' ');
        const argument = rest.join(' ');
        if (instruction === 'WORKDIR') expect(argument).toBe('/app');
        else if (instruction === 'COPY') {
          // The build context, as .dockerignore leaves it: the committed files, no node_modules or builds.
          expect(argument).toBe('. .');
          await run('git', ['clone', '--quiet', REPO_ROOT, dir]);
        } else if (instruction === 'RUN' && argument.startsWith('npm install -g pnpm@')) {
          // The toolchain: the pnpm the repository pins, which this machine already has.
          expect(`pnpm@${argument.slice('npm install -g pnpm@'.length)}`).toBe(pnpmVersion);
          expect(`pnpm@${localPnpm.trim()}`).toBe(pnpmVersion);
        } else if (instruction === 'RUN') {
          await run('sh', ['-c', argument], { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 });
        } else throw new Error(`the test does not know the Dockerfile instruction ${line}`);
      }
    }

    // The runtime stage: COPY --from, WORKDIR, ENV, USER, EXPOSE, HEALTHCHECK, STOPSIGNAL, CMD.
    const app = join(work, 'runtime');
    const inApp = (path: string) => join(app, path.replace(/^\/app\/?/, ''));
    let workdir = app;
    const imageEnv: Record<string, string> = {};
    let cmd: string[] = [];
    let healthcheck: string[] = [];
    for (const line of runtime.lines) {
      const copy = /^COPY --from=(\S+) (\/app\S*) (\/app\S*)$/.exec(line);
      if (copy) {
        const source = join(dirs.get(copy[1] as string) ?? '', (copy[2] as string).replace(/^\/app\/?/, ''));
        cpSync(source, inApp(copy[3] as string), { recursive: true, verbatimSymlinks: true });
      } else if (line.startsWith('WORKDIR ')) workdir = inApp(line.slice('WORKDIR '.length));
      else if (line.startsWith('ENV ')) {
        for (const pair of line.slice(4).split(/\s+/)) {
          const [name, value] = pair.split('=') as [string, string];
          imageEnv[name] = value;
        }
      } else if (line.startsWith('CMD ')) cmd = JSON.parse(line.slice(4)) as string[];
      else if (line.startsWith('HEALTHCHECK '))
        healthcheck = JSON.parse(line.replace(/^.* CMD /, '')) as string[];
      else if (!/^(USER node|EXPOSE \d+|STOPSIGNAL SIGTERM)$/.test(line)) {
        throw new Error(`the test does not know the Dockerfile instruction ${line}`);
      }
    }
    expect(runtime.lines).toContain('USER node');

    // Production dependencies only: no dev package anywhere in the tree the image ships.
    const { stdout: store } = await run('ls', [join(app, 'node_modules/.pnpm')]);
    for (const devOnly of ['vitest@', 'vite@', 'turbo@', 'playwright-core@', 'jsdom@', '@biomejs']) {
      expect(store, `${devOnly} is in the image`).not.toContain(devOnly);
    }
    expect(readFileSync(join(app, 'apps/web/dist/index.html'), 'utf8')).toContain('<div id="root">');

    database = await createTestDatabase();
    const port = String(await freePort());
    const serverEnv = {
      ...env,
      ...imageEnv,
      PORT: port,
      DATABASE_URL: database.url ?? '',
      REDIS_URL: process.env.REDIS_URL ?? '',
    };
    const [command, ...args] = cmd;
    server = spawn(command as string, args, {
      cwd: workdir,
      env: serverEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    server.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      server?.stdout?.on('data', () => {
        if (output.includes('running at')) resolve();
      });
      server?.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
    });

    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status, output).toBe(200);
    const web = await fetch(`http://127.0.0.1:${port}/`);
    expect(await web.text()).toContain('<div id="root">');
    const [probe, ...probeArgs] = healthcheck;
    await expect(run(probe as string, probeArgs, { env: serverEnv })).resolves.toBeDefined();

    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    expect((await exited)[0], output).toBe(0);
  }, 180_000);
});
