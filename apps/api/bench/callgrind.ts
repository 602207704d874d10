/**
 * `--instructions`: CPU instructions per request on a target's main thread, counted by valgrind's callgrind —
 * the figure that does not depend on what else the machine is doing.
 *
 * The target starts with instrumentation off (`--instr-atstart=no`, so start-up and the JIT's warm-up run
 * at valgrind's uninstrumented speed) and is warmed up under load. Then instrumentation goes on, one more
 * load window lets valgrind re-translate the hot code with instrumentation, and two windows are counted,
 * each zeroed before and dumped after (`callgrind_control --zero` / `--dump`): one idle (timers, pollers)
 * and one under load, of the same length. Per request = (load − idle rate × load duration) ÷ requests answered.
 * `--separate-threads=yes` gives each thread its own dump; thread 1 is the main thread, where JavaScript runs.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LoadGenerator } from './load.ts';
import { type Child, hasCommand } from './processes.ts';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface InstructionCount {
  perRequest: number;
  /** Without the idle rate subtracted. */
  grossPerRequest: number;
  requests: number;
  /** Main-thread instructions per second with no load, subtracted from the load window. */
  idlePerSecond: number;
  loadSeconds: number;
}

export function callgrindAvailable(): string | null {
  for (const command of ['valgrind', 'callgrind_control']) {
    if (!hasCommand(command)) return `${command} is not installed (apt-get install valgrind)`;
  }
  return null;
}

/** The command line that runs `command args` under callgrind, dumps going to `outFile.<n>-<thread>`. */
export function callgrindCommand(outFile: string, command: string, args: string[]): [string, string[]] {
  return [
    'valgrind',
    [
      '--tool=callgrind',
      '--separate-threads=yes',
      '--instr-atstart=no',
      `--callgrind-out-file=${outFile}`,
      command,
      ...args,
    ],
  ];
}

/** callgrind_control exits 0 even when it finds no such process: its output says whether it worked. */
async function control(target: { child: Child; env: NodeJS.ProcessEnv }, ...args: string[]): Promise<void> {
  const pid = target.child.pid;
  // The target's environment: vgdb finds the target's pipes by names made of $HOST and $USER.
  const { stdout, stderr } = await run('callgrind_control', [...args, String(pid)], {
    timeout: 60_000,
    env: target.env,
  });
  if (!/\bOK\b/.test(stdout) || /error/i.test(stderr)) {
    throw new Error(`callgrind_control ${args.join(' ')} ${pid}: ${`${stdout}${stderr}`.trim()}`);
  }
}

/** The main thread's instruction total of the dump triggered with `--dump=<label>`, once it is written. */
async function mainThreadTotal(outFile: string, label: string): Promise<number> {
  const directory = join(outFile, '..');
  const base = outFile.slice(directory.length + 1);
  const deadline = performance.now() + 30_000;
  for (;;) {
    const names = readdirSync(directory).filter((name) => name.startsWith(`${base}.`));
    for (const name of names.filter((n) => n.endsWith('-01'))) {
      const text = readFileSync(join(directory, name), 'utf8');
      if (!text.includes(`\ndesc: Trigger: dump ${label}\n`)) continue;
      // The summary line comes last: absent while the dump is still being written.
      const summary = text.match(/^summary:\s+(\d+)/m);
      if (summary) return Number(summary[1]);
    }
    if (performance.now() > deadline) {
      const all = readdirSync(directory).join(', ');
      throw new Error(`no callgrind dump "${label}" of thread 1 for ${base} in ${directory} (${all})`);
    }
    await sleep(250);
  }
}

/** Counts a target already running under {@link callgrindCommand}. */
export async function countInstructions(
  target: { child: Child; env: NodeJS.ProcessEnv; outFile: string; url: string; path: string },
  load: LoadGenerator,
  options: { warmupSeconds: number; seconds: number; connections: number; cores: string | null },
  log: (message: string) => void,
): Promise<InstructionCount> {
  const { outFile } = target;
  const loadOptions = {
    url: target.url,
    path: target.path,
    connections: options.connections,
    cores: options.cores,
    timeoutSeconds: 60,
  };
  // Uninstrumented: start-up is done, the JIT settles.
  const warm = await load.run({ ...loadOptions, seconds: options.warmupSeconds });
  log(`warm-up, uninstrumented: ${warm.requests} requests, ${warm.failures} failed`);
  await control(target, '--instr=on');
  // Instrumented but not yet counted: valgrind translates the code again, with instrumentation.
  const again = await load.run({ ...loadOptions, seconds: options.seconds });
  log(`warm-up, instrumented: ${again.requests} requests, ${again.failures} failed`);

  // The idle window is as long as the load window, so that timers firing every few seconds (usage flush,
  // webhook poll) are sampled alike.
  await control(target, '--zero');
  const idleStart = performance.now();
  await sleep(options.seconds * 1000);
  await control(target, '--dump=idle');
  const idleSeconds = (performance.now() - idleStart) / 1000;

  await control(target, '--zero');
  const loadStart = performance.now();
  const loaded = await load.run({ ...loadOptions, seconds: options.seconds });
  await control(target, '--dump=load');
  const loadSeconds = (performance.now() - loadStart) / 1000;
  log(`counted: ${loaded.requests} requests, ${loaded.failures} failed`);

  if (loaded.failures > 0) throw new Error(`${loaded.failures} failed requests under callgrind`);
  if (loaded.requests === 0) throw new Error('no request answered under callgrind');
  const idlePerSecond = (await mainThreadTotal(outFile, 'idle')) / idleSeconds;
  const gross = await mainThreadTotal(outFile, 'load');
  const net = gross - idlePerSecond * loadSeconds;
  return {
    perRequest: net / loaded.requests,
    grossPerRequest: gross / loaded.requests,
    requests: loaded.requests,
    idlePerSecond,
    loadSeconds,
  };
}
