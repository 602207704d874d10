import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface RunningServer {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

function startMain(env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collected = { text: '' };
  const collect = (chunk: Buffer) => {
    collected.text += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return { child, collected };
}

/** Starts `src/main.ts` as a real process (as `pnpm start` does) and resolves once it prints its URL. */
export async function spawnServer(
  env: Record<string, string | undefined>,
  timeoutMs = 80_000,
): Promise<RunningServer> {
  const { child, collected } = startMain({ PORT: '0', ...env });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in ${timeoutMs} ms:\n${collected.text}`)),
      timeoutMs,
    );
    const check = () => {
      const match = /running at (http:\/\/\S+)/.exec(collected.text);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before starting:\n${collected.text}`));
    });
  });
  return {
    url,
    child,
    output: () => collected.text,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** Runs `src/main.ts` to completion (for start-up failures) and returns its exit code and output. */
export async function runServerToExit(
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; output: string }> {
  const { child, collected } = startMain(env);
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output: collected.text };
}
