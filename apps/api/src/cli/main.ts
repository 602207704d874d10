/**
 * The `tollgate` command (PRODUCT.md §11), run as `pnpm tollgate <command>` from the repository root.
 * `pnpm tollgate --help` lists the commands.
 */
import { parseCommandLine, UsageError } from './args.ts';

const argv = process.argv.slice(2);

/** Help and usage errors answer at once, without loading the database and server modules. */
function answerWithoutDatabase(): number | null {
  try {
    const result = parseCommandLine(argv);
    if (result.kind === 'run') return null;
    process.stdout.write(`${result.text}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`tollgate: ${error.message}\n`);
    return 2;
  }
}

const code = answerWithoutDatabase() ?? (await (await import('./run.ts')).runCli(argv));
process.exitCode = code;
// Let stdout drain and exit on our own; should a stray handle keep the process alive, exit anyway.
setTimeout(() => process.exit(code), 2_000).unref();
