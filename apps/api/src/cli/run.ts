import {
  createDatabase,
  type DatabaseHandle,
  DatabaseLockedError,
  migrateDown,
  migrateToLatest,
  migrationStatus,
} from '@tollgate/db';
import { isTollgateError, type TollgateError } from '@tollgate/domain';
import { pino } from 'pino';
import { EnvError, loadEnv } from '../env.ts';
import { loggerOptions } from '../logger.ts';
import { createServices } from '../services.ts';
import { type ParsedCommand, parseCommandLine, UsageError } from './args.ts';
import { runCommand } from './commands.ts';
import type { CliIo } from './io.ts';

export type { CliIo } from './io.ts';

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
  stdin: readProcessStdin,
};

export interface CliDeps {
  /**
   * Opens the database (default: createDatabase from DATABASE_URL / TOLLGATE_DATA_DIR, closed at the end).
   * Tests pass a database of their own, which the CLI then leaves open.
   */
  database?: DatabaseHandle;
}

/** Exit statuses: 0 done, 1 the command failed, 2 the command line was wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** One line for a person: messages from deeper layers may span several lines. */
function oneLine(message: string): string {
  return message.split('\n')[0]?.trim() || 'Something went wrong.';
}

/**
 * Runs one `tollgate` command line and resolves with the exit status. Never throws: every failure becomes one
 * line on stderr.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo,
  environment: Record<string, string | undefined> = process.env,
  deps: CliDeps = {},
): Promise<number> {
  let parsed: ParsedCommand;
  try {
    const result = parseCommandLine(argv);
    if (result.kind === 'help') {
      io.stdout(result.text);
      return EXIT_OK;
    }
    parsed = result.parsed;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`tollgate: ${error.message}`);
      return EXIT_USAGE;
    }
    throw error;
  }

  let env: ReturnType<typeof loadEnv>;
  try {
    env = loadEnv(environment);
  } catch (error) {
    if (error instanceof EnvError) {
      io.stderr(`tollgate: ${error.message}`);
      return EXIT_FAILURE;
    }
    throw error;
  }
  // Logs go to stderr so that stdout carries only the result.
  const log = pino(loggerOptions(env.LOG_LEVEL), pino.destination({ fd: 2, sync: true }));

  let database: DatabaseHandle;
  try {
    database =
      deps.database ??
      (await createDatabase({
        databaseUrl: env.DATABASE_URL,
        dataDir: env.TOLLGATE_DATA_DIR,
        onError: (error) => log.error({ err: error }, 'database error'),
      }));
  } catch (error) {
    io.stderr(`tollgate: ${oneLine(error instanceof Error ? error.message : String(error))}`);
    if (!(error instanceof DatabaseLockedError)) log.debug({ err: error }, 'could not open the database');
    return EXIT_FAILURE;
  }

  try {
    if (parsed.command === 'migrate') {
      await runMigrate(database, parsed.direction, io);
      return EXIT_OK;
    }
    const applied = await migrateToLatest(database.db, { log: () => {} });
    if (applied.length > 0) {
      io.stderr(`Brought the database schema up to date (${applied.length} migration(s) applied).`);
    }
    const services = createServices({ env, database, log });
    await runCommand(services, parsed, io);
    return EXIT_OK;
  } catch (error) {
    if (isTollgateError(error)) {
      io.stderr(`tollgate: ${describeTollgateError(error)}`);
    } else {
      log.debug({ err: error }, 'command failed');
      io.stderr(`tollgate: ${oneLine(error instanceof Error ? error.message : String(error))}`);
    }
    return EXIT_FAILURE;
  } finally {
    if (!deps.database) await database.close();
  }
}

/** The error's sentence, plus which fields are wrong when it says so, on one line. */
function describeTollgateError(error: TollgateError): string {
  const message = oneLine(error.message);
  const details = (error.details ?? []).filter((detail) => !message.includes(detail.message));
  if (details.length === 0) return message;
  const listed = details.map((detail) =>
    detail.path ? `${detail.path}: ${detail.message}` : detail.message,
  );
  return `${message.replace(/\.$/, '')} (${oneLine(listed.join('; '))}).`;
}

async function runMigrate(
  database: DatabaseHandle,
  direction: 'up' | 'down' | 'status',
  io: CliIo,
): Promise<void> {
  switch (direction) {
    case 'up': {
      const applied = await migrateToLatest(database.db, { log: io.stdout });
      if (applied.length === 0) io.stdout('The database schema is already up to date.');
      return;
    }
    case 'down': {
      const reverted = await migrateDown(database.db, { log: io.stdout });
      if (reverted === undefined) io.stdout('No migration is applied: nothing to revert.');
      return;
    }
    case 'status': {
      for (const { name, executedAt } of await migrationStatus(database.db)) {
        io.stdout(
          `${executedAt ? `applied ${executedAt.toISOString()}` : 'pending                         '}  ${name}`,
        );
      }
      return;
    }
  }
}
