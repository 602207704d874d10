/**
 * `--instructions`: CPU instructions per request on a target's main thread, counted by valgrind's callgrind —
 * the figure that does not depend on what else the machine is doing.
 *
 * The target starts with instrumentation off (`--instr-atstart=no`, so start-up and the JIT's warm-up run
 * at valgrind's uninstrumented speed) and is warmed up under load. Then instrumentation goes on and two
 * windows are counted, each zeroed before and dumped after (`callgrind_control --zero` / `--dump`): one idle
 * (timers, pollers) and one under load. Per request = (load − idle rate × load duration) ÷ requests answered.
 * `--separate-threads=yes` gives each thread its own dump; thread 1 is the main thread, where JavaScript runs.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LoadGenerator } from './load.ts';
import { type Child, hasCommand } from './processes.ts';

const run = promisify(execFile);

export interface InstructionCount {
  perRequest: number;
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

async function control(pid: number, ...args: string[]): Promise<void> {
  await run('callgrind_control', [...args, String(pid)], { timeout: 60_000 });
}

/** The main thread's instruction total of the dump triggered with `--dump=<label>`. */
function mainThreadTotal(outFile: string, label: string): number {
  const directory = join(outFile, '..');
  const base = outFile.slice(directory.length + 1);
  for (const name of readdirSync(directory)) {
    if (!name.startsWith(`${base}.`) || !name.endsWith('-01')) continue;
    const text = readFileSync(join(directory, name), 'utf8');
    if (!text.includes(`\ndesc: Trigger: dump ${label}\n`)) continue;
    const summary = text.match(/^summary:\s+(\d+)/m);
    if (summary) return Number(summary[1]);
  }
  throw new Error(`no callgrind dump "${label}" of thread 1 in ${directory}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts a target already running under {@link callgrindCommand}. */
export async function countInstructions(
  target: { child: Child; outFile: string; url: string; path: string },
  load: LoadGenerator,
  options: { warmupSeconds: number; seconds: number; connections: number; cores: string | null },
): Promise<InstructionCount> {
  const { child, outFile } = target;
  const loadOptions = {
    url: target.url,
    path: target.path,
    connections: options.connections,
    cores: options.cores,
  };
  await load.run({ ...loadOptions, seconds: options.warmupSeconds });
  await control(child.pid, '--instr=on');

  await control(child.pid, '--zero');
  const idleStart = performance.now();
  await sleep(Math.min(options.seconds, 3) * 1000);
  await control(child.pid, '--dump=idle');
  const idleSeconds = (performance.now() - idleStart) / 1000;

  await control(child.pid, '--zero');
  const loadStart = performance.now();
  const loaded = await load.run({ ...loadOptions, seconds: options.seconds });
  await control(child.pid, '--dump=load');
  const loadSeconds = (performance.now() - loadStart) / 1000;

  if (loaded.failures > 0) throw new Error(`${loaded.failures} failed requests under callgrind`);
  if (loaded.requests === 0) throw new Error('no request answered under callgrind');
  const idlePerSecond = mainThreadTotal(outFile, 'idle') / idleSeconds;
  const net = mainThreadTotal(outFile, 'load') - idlePerSecond * loadSeconds;
  return { perRequest: net / loaded.requests, requests: loaded.requests, idlePerSecond, loadSeconds };
}
