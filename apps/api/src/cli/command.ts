/**
 * What a `tollgate` command is: ONE record (defineCommand) with its usage, its options, the parser that turns
 * them into the command's input and the runner that acts on it. Adding a command is a file in commands/ and
 * a line in commands/index.ts.
 *
 * This module and the records are loaded for every command line, help and usage errors included, which
 * answer without opening the database (main.ts): a runner imports what it uses inside `run`
 * (`await import('../../core/….ts')`), never at the top of its file; types are `import type`.
 */
import type { DatabaseHandle } from '@tollgate/db';
import type { Services } from '../services.ts';

/** Where the CLI writes: stdout carries results only (one JSON value with --json), stderr everything else. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input, for `--password-stdin`; absent: there is none. */
  stdin?(): Promise<string>;
}

/** A password typed on the command line, or one to read from standard input (`--…-stdin`). */
export type PasswordSource = { value: string } | { stdin: true };

export type OptionType = { type: 'string' } | { type: 'boolean' };

/** A closed set of values the domain defines with a zod enum (ZTier, ZRole): its `options` and its parser. */
export interface ChoiceSchema<T extends string> {
  readonly options: readonly T[];
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/** The command line after node:util's parseArgs, with the checks every parser needs. */
export interface CommandArgs {
  /** --json was given. */
  readonly json: boolean;
  readonly positionals: readonly string[];
  /** A boolean option was given. */
  flag(option: string): boolean;
  /** A string option that must be given and not blank. */
  required(option: string): string;
  optional(option: string): string | undefined;
  /** A comma-separated list option, items trimmed, empty items dropped; undefined when absent. */
  list(option: string): string[] | undefined;
  /** `--<option> <password>` or `--<option>-stdin`, exactly one of them. */
  password(option: string): PasswordSource;
  /** An optional option whose value must be one of the schema's (e.g. `--tier` with ZTier). */
  choice<T extends string>(option: string, schema: ChoiceSchema<T>, what: string): T | undefined;
  /** Stops with a usage error (exit 2): the problem and the command's usage line. */
  fail(problem: string): never;
}

export interface CommandContext {
  io: CliIo;
  database: DatabaseHandle;
  /** The services the tRPC procedures use, made on first use (the CLI acts through the same core functions). */
  services(): Services;
  /** Prints the result: `value` as one JSON value with --json, `human()` otherwise. */
  print(json: boolean, value: unknown, human: () => string): void;
}

interface CommandDefinition<TInput> {
  /** The command words, e.g. `token create`. */
  name: string;
  /** Everything after `pnpm tollgate <name>` in the usage line. */
  synopsis: string;
  summary: string;
  options: Record<string, OptionType>;
  /** Lines explaining the options, for --help. */
  details: readonly string[];
  /** Positional arguments: at most this many are accepted (default 0). */
  maxPositionals?: number;
  /**
   * The command manages the schema itself (migrate): run.ts does not bring it up to date first. Default false:
   * every other command runs on an up-to-date schema.
   */
  ownsSchema?: boolean;
  /** Checks the command line; a mistake is `args.fail(…)`. */
  parse(args: CommandArgs): TInput;
  /** Acts; failures throw (a TollgateError is printed as one line, exit 1). */
  run(context: CommandContext, input: TInput): Promise<void>;
}

/** A command as the parser and run.ts see it: its input type is sealed inside `parse`'s result. */
export interface CliCommand {
  name: string;
  synopsis: string;
  summary: string;
  options: Record<string, OptionType>;
  details: readonly string[];
  maxPositionals: number;
  ownsSchema: boolean;
  /** Parses, and hands back what runs the command with that input. */
  parse(args: CommandArgs): (context: CommandContext) => Promise<void>;
}

export function defineCommand<TInput>(definition: CommandDefinition<TInput>): CliCommand {
  const { parse, run, maxPositionals = 0, ownsSchema = false, ...usage } = definition;
  return {
    ...usage,
    maxPositionals,
    ownsSchema,
    parse(args) {
      const input = parse(args);
      return (context) => run(context, input);
    },
  };
}

export const JSON_OPTION = { json: { type: 'boolean' } } as const;
export const JSON_DETAIL = '--json                 print exactly one JSON value on stdout and nothing else';
