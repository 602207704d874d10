import { parseArgs } from 'node:util';
import type { CliCommand, CommandArgs, CommandContext, PasswordSource } from './command.ts';
import { COMMANDS } from './commands/index.ts';

/** A mistake in how the command was typed: the CLI prints one line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type ParseResult =
  | { kind: 'run'; command: CliCommand; run: (context: CommandContext) => Promise<void> }
  | { kind: 'help'; text: string };

const PROGRAM = 'pnpm tollgate';

export function usageLine(command: CliCommand): string {
  return `${PROGRAM} ${command.name} ${command.synopsis}`;
}

/** The overview printed by `--help` and, as its first line, with an unknown command. */
export function overview(commands: readonly CliCommand[] = COMMANDS): string {
  return [
    `Usage: ${PROGRAM} <command> [options]   (${PROGRAM} <command> --help for details)`,
    '',
    ...commands.map((command) => `  ${usageLine(command)}`),
    '',
    'Environment: DATABASE_URL (absent: the embedded database in TOLLGATE_DATA_DIR, default .data/pglite),',
    'TOKEN_PREFIX, LOG_LEVEL. Every command except migrate brings the database schema up to date first.',
  ].join('\n');
}

function commandHelp(command: CliCommand): string {
  return [
    `Usage: ${usageLine(command)}`,
    '',
    command.summary,
    ...(command.details.length ? ['', ...command.details] : []),
  ].join('\n');
}

function findCommand(
  commands: readonly CliCommand[],
  argv: readonly string[],
): { command: CliCommand; rest: string[] } | undefined {
  const two = `${argv[0]} ${argv[1]}`;
  const command =
    commands.find((candidate) => candidate.name === two) ?? commands.find((c) => c.name === argv[0]);
  if (!command) return undefined;
  return { command, rest: argv.slice(command.name.split(' ').length) };
}

/** node:util's messages, reduced to their first sentence, so that a usage error stays one line. */
function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split('\n')[0] ?? message;
  return first.replace(/\. (To specify|This command).*$/, '').replace(/\.$/, '');
}

function isParseArgsError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('ERR_PARSE_ARGS_')
  );
}

function commandArgs(
  values: Record<string, string | boolean | undefined>,
  positionals: string[],
  fail: (problem: string) => never,
): CommandArgs {
  const required = (option: string): string => {
    const value = values[option];
    if (typeof value !== 'string' || value.trim() === '') return fail(`Missing --${option}`);
    return value;
  };
  const optional = (option: string): string | undefined => {
    const value = values[option];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    json: values.json === true,
    positionals,
    flag: (option) => values[option] === true,
    required,
    optional,
    list: (option) =>
      optional(option)
        ?.split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    password(option): PasswordSource {
      const fromStdin = values[`${option}-stdin`] === true;
      if (fromStdin && values[option] !== undefined)
        fail(`Give either --${option} or --${option}-stdin, not both`);
      if (fromStdin) return { stdin: true };
      if (values[option] === undefined) fail(`Missing --${option} (or --${option}-stdin)`);
      return { value: required(option) };
    },
    choice(option, schema, what) {
      const value = optional(option);
      if (value === undefined) return undefined;
      const result = schema.safeParse(value);
      if (!result.success) return fail(`Unknown ${what} "${value}" (one of ${schema.options.join(', ')})`);
      return result.data;
    },
    fail,
  };
}

/**
 * Reads the command line into the command to run with its checked input, or the help text asked for.
 * @throws UsageError naming the first problem, with the command's usage line.
 */
export function parseCommandLine(
  argv: readonly string[],
  commands: readonly CliCommand[] = COMMANDS,
): ParseResult {
  const first = argv[0];
  if (first === undefined) throw new UsageError(`Missing command. ${overview(commands).split('\n')[0]}`);
  if (first === '--help' || first === '-h' || first === 'help')
    return { kind: 'help', text: overview(commands) };

  const found = findCommand(commands, argv);
  const group = commands.filter((command) => command.name.startsWith(`${first} `));
  if (!found && group.length > 0) {
    // `token`, `token --help`, `token frobnicate`: show what the group offers.
    const second = argv[1];
    const lines = group.map((command) => usageLine(command));
    if (second === '--help' || second === '-h')
      return { kind: 'help', text: ['Usage:', ...lines.map((line) => `  ${line}`)].join('\n') };
    const problem =
      second === undefined ? `Missing the ${first} command` : `Unknown command "${first} ${second}"`;
    throw new UsageError(`${problem}. Usage: ${lines.join(' | ')}`);
  }
  if (!found) {
    const typed = first.startsWith('-') ? first : argv.slice(0, 2).join(' ');
    throw new UsageError(`Unknown command "${typed}". ${overview(commands).split('\n')[0]}`);
  }
  const { command, rest } = found;
  const fail = (problem: string): never => {
    throw new UsageError(`${problem}. Usage: ${usageLine(command)}`);
  };

  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: command.maxPositionals > 0,
    }));
  } catch (error) {
    if (isParseArgsError(error)) return fail(parseArgsMessage(error));
    throw error;
  }
  if (values.help) return { kind: 'help', text: commandHelp(command) };
  if (positionals.length > command.maxPositionals)
    fail(`Unexpected argument "${positionals[command.maxPositionals]}"`);

  return { kind: 'run', command, run: command.parse(commandArgs(values, positionals, fail)) };
}
