/**
 * The child processes of the HTTP benchmark: targets and load generators, each pinned to cores of its own,
 * all of them stopped when the benchmark ends — normally, by an exception, or by SIGINT/SIGTERM.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const children = new Set<ChildProcess>();

function commandExists(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Cores for the target and the load generator: different ones when there are two or more (and taskset). */
export interface Pinning {
  target: string | null;
  load: string | null;
  /** For the report. */
  description: string;
}

export function pinning(): Pinning {
  const cores = availableParallelism();
  if (cores < 2) return { target: null, load: null, description: `not pinned (${cores} core)` };
  if (!commandExists('taskset')) {
    return { target: null, load: null, description: 'not pinned (taskset is not installed)' };
  }
  // The last core for the server, core 0 for the load; PostgreSQL and Redis are left to the scheduler.
  const target = String(cores - 1);
  const load = cores > 2 ? `0-${cores - 2}` : '0';
  return {
    target,
    load,
    description: `target on core ${target}, load generator on core(s) ${load} (taskset)`,
  };
}

export const hasCommand = commandExists;

/** Moves every thread of a running process to `cores` (`taskset -a -p`); threads it starts later inherit it. */
export function pinRunning(pid: number, cores: string | null): void {
  if (cores === null) return;
  execFileSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' });
}

export interface Child {
  process: ChildProcess;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far (the last 64 kB). */
  output(): string;
  /** Resolves with the exit code (or the signal) once the process has exited. */
  exited: Promise<number | string>;
  /** Resolves with the first match of `pattern` in the output; rejects on exit or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `command` (under `taskset -c cores` when given); the process is stopped when the benchmark ends. */
export function startChild(
  command: string,
  args: string[],
  options: { cores: string | null; env?: NodeJS.ProcessEnv; cwd?: string },
): Child {
  const [file, argv] = options.cores ? ['taskset', ['-c', options.cores, command, ...args]] : [command, args];
  const child = spawn(file, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-65_536);
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? signal ?? 'unknown');
      for (const listener of listeners) listener();
    });
    child.once('error', (error) => {
      children.delete(child);
      output += `\n${error.message}`;
      resolve('spawn error');
      for (const listener of listeners) listener();
    });
  });
  const describe = () => `${command} ${args.join(' ')}`.slice(0, 200);

  return {
    process: child,
    pid: child.pid ?? -1,
    output: () => output,
    exited,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) return finish(() => resolve(match));
          if (child.exitCode !== null || child.signalCode !== null || !children.has(child)) {
            finish(() =>
              reject(new Error(`${describe()} exited before it was ready:\n${output.slice(-4_000)}`)),
            );
          }
        };
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(new Error(`${describe()} not ready after ${timeoutMs} ms:\n${output.slice(-4_000)}`)),
            ),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop(graceMs = 5_000) {
      if (!children.has(child)) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Stops every child still running (SIGTERM, then SIGKILL). */
export async function stopAllChildren(graceMs = 5_000): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
        }),
    ),
  );
}

let installed = false;

/**
 * Makes sure no child outlives the benchmark: SIGKILL on exit (synchronous, the last resort), and an orderly
 * stop followed by exit on SIGINT/SIGTERM.
 */
export function installCleanup(onSignal: () => Promise<void>): void {
  if (installed) return;
  installed = true;
  process.once('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the benchmark's processes…`);
      const force = setTimeout(() => process.exit(130), 15_000);
      force.unref();
      void onSignal()
        .catch((error: unknown) => console.error(error))
        .finally(() => process.exit(130));
    });
  }
}
