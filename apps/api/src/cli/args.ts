import { parseArgs } from 'node:util';
import { ROLES, type Role, TIER_NAMES, type Tier } from '@tollgate/domain';
import { parseTokenScan, TOKEN_SCAN_SPEC, type TokenScanCommand } from './token-scan.ts';

/** A mistake in how the command was typed: the CLI prints one line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type OptionType = { type: 'string' } | { type: 'boolean' };

interface CommandSpec {
  /** The command words, e.g. `token create`. */
  name: string;
  /** Everything after `pnpm tollgate <name>` in the usage line. */
  synopsis: string;
  summary: string;
  options: Record<string, OptionType>;
  /** Lines explaining the options, for --help. */
  details: string[];
  /** Positional arguments: at most this many are accepted. */
  maxPositionals: number;
}

const JSON_OPTION = { json: { type: 'boolean' } } as const;
const JSON_DETAIL = '--json                 print exactly one JSON value on stdout and nothing else';

export const COMMANDS = [
  {
    name: 'migrate',
    synopsis: '[up|down|status]',
    summary: 'Apply (up, the default) or revert (down) one step of the database migrations, or list them.',
    options: {},
    details: [
      'up      apply every pending migration',
      'down    revert the latest applied migration',
      'status  list every migration and when it was applied',
    ],
    maxPositionals: 1,
  },
  {
    name: 'seed',
    synopsis: '--demo [--json]',
    summary: 'Create the demo organisation "acme" and its users when the database has no organisation yet.',
    options: { demo: { type: 'boolean' }, ...JSON_OPTION },
    details: ['--demo                 required: the demo data set is the only one', JSON_DETAIL],
    maxPositionals: 0,
  },
  {
    name: 'org create',
    synopsis: `--name <name> --slug <slug> [--tier ${TIER_NAMES.join('|')}] --owner-email <email> (--owner-password <password> | --owner-password-stdin) [--json]`,
    summary: 'Create an organisation with its owner.',
    options: {
      name: { type: 'string' },
      slug: { type: 'string' },
      tier: { type: 'string' },
      'owner-email': { type: 'string' },
      'owner-password': { type: 'string' },
      'owner-password-stdin': { type: 'boolean' },
      ...JSON_OPTION,
    },
    details: [
      '--tier                 rate-limit tier (default free)',
      '--owner-email          a new email creates the owner user with --owner-password; an existing',
      '                       user becomes the owner only if --owner-password is their current password;',
      "                       a new owner's name is the part of the email before @",
      '--owner-password-stdin read the password from the first line of standard input instead, so that',
      '                       it stays out of the shell history and the process list',
      JSON_DETAIL,
    ],
    maxPositionals: 0,
  },
  {
    name: 'user create',
    synopsis: '--email <email> --name <name> (--password <password> | --password-stdin) [--json]',
    summary: 'Create a user (who can then be added to organisations).',
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      ...JSON_OPTION,
    },
    details: [
      '--password-stdin       read the password from the first line of standard input instead, so that it',
      '                       stays out of the shell history and the process list',
      JSON_DETAIL,
    ],
    maxPositionals: 0,
  },
  {
    name: 'member add',
    synopsis: `--org <slug> --email <email> --role ${ROLES.join('|')} [--json]`,
    summary: 'Add an existing user to an organisation with a role.',
    options: { org: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, ...JSON_OPTION },
    details: [JSON_DETAIL],
    maxPositionals: 0,
  },
  {
    name: 'token create',
    synopsis:
      '--org <slug> (--user <email> | --service) --name <name> [--scopes a,b,…] [--expires-in-days N] [--ip <cidr>,…] [--json]',
    summary: 'Create a token and print it once: it can never be shown again.',
    options: {
      org: { type: 'string' },
      user: { type: 'string' },
      service: { type: 'boolean' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      'expires-in-days': { type: 'string' },
      ip: { type: 'string' },
      ...JSON_OPTION,
    },
    details: [
      "--user <email>         a personal token acting as that member, within their role's ceiling",
      '--service              a service token belonging to the organisation',
      "--scopes               comma-separated scopes (default: the default set, clipped to the member's role)",
      '--expires-in-days      lifetime in days (default: no expiry, unless the organisation policy requires one)',
      '--ip                   comma-separated IPv4/IPv6 addresses and CIDR ranges allowed to use the token',
      JSON_DETAIL,
    ],
    maxPositionals: 0,
  },
  {
    name: 'token list',
    synopsis: '--org <slug> [--json]',
    summary: "List an organisation's tokens (never their secrets).",
    options: { org: { type: 'string' }, ...JSON_OPTION },
    details: ['--json                 print one JSON array of token objects'],
    maxPositionals: 0,
  },
  {
    name: 'token revoke',
    synopsis: '<id> [--json]',
    summary: 'Revoke a token at once and for good (the record stays, with revokedAt).',
    options: { ...JSON_OPTION },
    details: [JSON_DETAIL],
    maxPositionals: 1,
  },
  TOKEN_SCAN_SPEC,
] as const satisfies readonly CommandSpec[];

export type CommandName = (typeof COMMANDS)[number]['name'];

/** A password typed on the command line, or one to read from standard input (`--…-stdin`). */
export type PasswordSource = { value: string } | { stdin: true };

/** What each command receives once its arguments have been checked. */
export type ParsedCommand =
  | { command: 'migrate'; direction: 'up' | 'down' | 'status' }
  | { command: 'seed'; json: boolean }
  | {
      command: 'org create';
      json: boolean;
      name: string;
      slug: string;
      tier: Tier | undefined;
      ownerEmail: string;
      ownerPassword: PasswordSource;
    }
  | { command: 'user create'; json: boolean; email: string; name: string; password: PasswordSource }
  | { command: 'member add'; json: boolean; org: string; email: string; role: Role }
  | {
      command: 'token create';
      json: boolean;
      org: string;
      user: string | undefined;
      name: string;
      scopes: string[] | undefined;
      expiresInDays: number | undefined;
      ipAllowlist: string[];
    }
  | { command: 'token list'; json: boolean; org: string }
  | { command: 'token revoke'; json: boolean; id: string }
  | TokenScanCommand;

export type ParseResult = { kind: 'run'; parsed: ParsedCommand } | { kind: 'help'; text: string };

const PROGRAM = 'pnpm tollgate';

export function usageLine(spec: CommandSpec): string {
  return `${PROGRAM} ${spec.name} ${spec.synopsis}`;
}

/** The overview printed by `--help` and, as its first line, with an unknown command. */
export function overview(): string {
  return [
    `Usage: ${PROGRAM} <command> [options]   (${PROGRAM} <command> --help for details)`,
    '',
    ...COMMANDS.map((spec) => `  ${usageLine(spec)}`),
    '',
    'Environment: DATABASE_URL (absent: the embedded database in TOLLGATE_DATA_DIR, default .data/pglite),',
    'TOKEN_PREFIX, LOG_LEVEL. Every command except migrate brings the database schema up to date first.',
  ].join('\n');
}

function commandHelp(spec: CommandSpec): string {
  return [
    `Usage: ${usageLine(spec)}`,
    '',
    spec.summary,
    ...(spec.details.length ? ['', ...spec.details] : []),
  ].join('\n');
}

function findCommand(argv: readonly string[]): { spec: CommandSpec; rest: string[] } | undefined {
  const two = `${argv[0]} ${argv[1]}`;
  const spec =
    COMMANDS.find((candidate) => candidate.name === two) ?? COMMANDS.find((c) => c.name === argv[0]);
  if (!spec) return undefined;
  return { spec, rest: argv.slice(spec.name.split(' ').length) };
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

/**
 * Reads the command line into a checked command, or the help text asked for.
 * @throws UsageError naming the first problem, with the command's usage line.
 */
export function parseCommandLine(argv: readonly string[]): ParseResult {
  const first = argv[0];
  if (first === undefined) throw new UsageError(`Missing command. ${overview().split('\n')[0]}`);
  if (first === '--help' || first === '-h' || first === 'help') return { kind: 'help', text: overview() };

  const found = findCommand(argv);
  const group = COMMANDS.filter((spec) => spec.name.startsWith(`${first} `));
  if (!found && group.length > 0) {
    // `token`, `token --help`, `token frobnicate`: show what the group offers.
    const second = argv[1];
    const lines = group.map((spec) => usageLine(spec));
    if (second === '--help' || second === '-h')
      return { kind: 'help', text: ['Usage:', ...lines.map((line) => `  ${line}`)].join('\n') };
    const problem =
      second === undefined ? `Missing the ${first} command` : `Unknown command "${first} ${second}"`;
    throw new UsageError(`${problem}. Usage: ${lines.join(' | ')}`);
  }
  if (!found) {
    const typed = first.startsWith('-') ? first : argv.slice(0, 2).join(' ');
    throw new UsageError(`Unknown command "${typed}". ${overview().split('\n')[0]}`);
  }
  const { spec, rest } = found;
  const fail = (problem: string): never => {
    throw new UsageError(`${problem}. Usage: ${usageLine(spec)}`);
  };

  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: spec.maxPositionals > 0,
    }));
  } catch (error) {
    if (isParseArgsError(error)) return fail(parseArgsMessage(error));
    throw error;
  }
  if (values.help) return { kind: 'help', text: commandHelp(spec) };
  if (positionals.length > spec.maxPositionals)
    fail(`Unexpected argument "${positionals[spec.maxPositionals]}"`);

  const json = values.json === true;
  const required = (option: string): string => {
    const value = values[option];
    if (typeof value !== 'string' || value.trim() === '') return fail(`Missing --${option}`);
    return value;
  };
  const optional = (option: string): string | undefined => {
    const value = values[option];
    return typeof value === 'string' ? value : undefined;
  };
  /** `--<option> <password>` or `--<option>-stdin`, exactly one of them. */
  const password = (option: string): PasswordSource => {
    const fromStdin = values[`${option}-stdin`] === true;
    if (fromStdin && values[option] !== undefined)
      fail(`Give either --${option} or --${option}-stdin, not both`);
    if (fromStdin) return { stdin: true };
    if (values[option] === undefined) fail(`Missing --${option} (or --${option}-stdin)`);
    return { value: required(option) };
  };
  const list = (value: string | undefined): string[] | undefined =>
    value
      ?.split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');

  switch (spec.name) {
    case 'migrate': {
      const direction = positionals[0] ?? 'up';
      if (direction !== 'up' && direction !== 'down' && direction !== 'status') {
        return fail(`Unknown migrate direction "${direction}"`);
      }
      return { kind: 'run', parsed: { command: 'migrate', direction } };
    }
    case 'seed':
      if (values.demo !== true) fail('Missing --demo (the demo data set is the only one)');
      return { kind: 'run', parsed: { command: 'seed', json } };
    case 'org create': {
      const tier = optional('tier');
      if (tier !== undefined && !(TIER_NAMES as readonly string[]).includes(tier)) {
        fail(`Unknown tier "${tier}" (one of ${TIER_NAMES.join(', ')})`);
      }
      return {
        kind: 'run',
        parsed: {
          command: 'org create',
          json,
          name: required('name'),
          slug: required('slug'),
          tier: tier as Tier | undefined,
          ownerEmail: required('owner-email'),
          ownerPassword: password('owner-password'),
        },
      };
    }
    case 'user create':
      return {
        kind: 'run',
        parsed: {
          command: 'user create',
          json,
          email: required('email'),
          name: required('name'),
          password: password('password'),
        },
      };
    case 'member add': {
      const org = required('org');
      const email = required('email');
      const role = required('role');
      if (!(ROLES as readonly string[]).includes(role))
        fail(`Unknown role "${role}" (one of ${ROLES.join(', ')})`);
      return { kind: 'run', parsed: { command: 'member add', json, org, email, role: role as Role } };
    }
    case 'token create': {
      const org = required('org');
      const user = optional('user');
      if ((user === undefined) === (values.service !== true))
        fail('Give exactly one of --user <email> and --service');
      if (user !== undefined && user.trim() === '') fail('Missing the email of --user');
      const name = required('name');
      const days = optional('expires-in-days');
      let expiresInDays: number | undefined;
      if (days !== undefined) {
        expiresInDays = /^\d+$/.test(days) ? Number(days) : Number.NaN;
        if (!Number.isSafeInteger(expiresInDays) || expiresInDays < 1) {
          fail('--expires-in-days must be a whole number of days, at least 1');
        }
      }
      return {
        kind: 'run',
        parsed: {
          command: 'token create',
          json,
          org,
          user,
          name,
          scopes: list(optional('scopes')),
          expiresInDays,
          ipAllowlist: list(optional('ip')) ?? [],
        },
      };
    }
    case 'token list':
      return { kind: 'run', parsed: { command: 'token list', json, org: required('org') } };
    case 'token revoke': {
      const id = positionals[0];
      if (id === undefined || id.trim() === '') return fail('Missing the token id');
      return { kind: 'run', parsed: { command: 'token revoke', json, id } };
    }
    case 'token scan':
      return { kind: 'run', parsed: parseTokenScan(positionals, values) };
  }
  // Every command of COMMANDS has its case above.
  throw new Error(`unhandled command ${spec.name}`);
}
