import { findUserByEmail } from '@tollgate/db';
import { createTestDatabase, type TestDatabase } from '@tollgate/db/testing';
import { parseToken, type TToken, type TTokenWithSecret } from '@tollgate/domain';
import { InsertQueryNode, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/password.ts';
import { DEMO_OWNER_EMAIL, DEMO_PASSWORD } from '../seed.ts';
import { runCli } from './run.ts';

/**
 * The CLI in process, on a test database of its own: every output and exit status a person at a terminal
 * would see. apps/api/test/cli.test.ts runs it as a real process.
 */
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runWith(
  database: TestDatabase | undefined,
  environment: Record<string, string> = {},
  stdin?: string,
) {
  return async (...argv: string[]): Promise<Run> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      argv,
      {
        stdout: (text) => out.push(text),
        stderr: (text) => err.push(text),
        ...(stdin === undefined ? {} : { stdin: async () => stdin }),
      },
      { LOG_LEVEL: 'warn', ...environment },
      database ? { database } : {},
    );
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  };
}

describe('usage errors: exit 2, one line on stderr, nothing on stdout', () => {
  // No database is opened before the command line is understood.
  const cli = runWith(undefined, { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
  const org = [
    '--name',
    'Acme',
    '--slug',
    'acme',
    '--owner-email',
    'o@example.test',
    '--owner-password',
    'pw',
  ];

  it.each([
    [[], /Missing command/],
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['token', 'explode'], /Unknown command "token explode"/],
    [
      ['token'],
      /Missing the token command\. Usage: pnpm tollgate token create .* \| pnpm tollgate token list/,
    ],
    [['token', 'create', '--org', 'a', '--name', 'x'], /exactly one of --user <email> and --service/],
    [
      ['token', 'create', '--org', 'a', '--name', 'x', '--user', 'u@example.test', '--service'],
      /exactly one/,
    ],
    [['token', 'create', '--org', 'a', '--service'], /Missing --name/],
    [
      ['token', 'create', '--org', 'a', '--service', '--name', 'x', '--expires-in-days', 'soon'],
      /whole number/,
    ],
    [['token', 'list'], /Missing --org/],
    [['token', 'list', '--org'], /'--org <value>' argument missing/],
    [['token', 'list', '--org', 'a', '--verbose'], /Unknown option '--verbose'/],
    [['token', 'list', '--org', 'a', 'extra'], /Unexpected argument 'extra'/],
    [['token', 'revoke'], /Missing the token id/],
    [['token', 'revoke', 'tok_a', 'tok_b'], /Unexpected argument "tok_b"/],
    [['member', 'add', '--org', 'a', '--email', 'e@example.test', '--role', 'king'], /Unknown role "king"/],
    [['org', 'create', ...org, '--tier', 'gold'], /Unknown tier "gold"/],
    [
      ['user', 'create', '--email', 'e@example.test', '--name', 'E'],
      /Missing --password \(or --password-stdin\)/,
    ],
    [
      ['user', 'create', '--email', 'e@example.test', '--name', 'E', '--password', 'x', '--password-stdin'],
      /Give either --password or --password-stdin, not both/,
    ],
    [
      ['org', 'create', ...org, '--owner-password-stdin'],
      /either --owner-password or --owner-password-stdin/,
    ],
    [['migrate', 'sideways'], /Unknown migrate direction "sideways"/],
    [['seed'], /Missing --demo/],
  ])('%j', async (argv, message) => {
    const run = await cli(...argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/Usage: pnpm tollgate/);
  });

  it('prints the overview and per-command help on stdout with exit 0', async () => {
    const overview = await cli('--help');
    expect(overview.code).toBe(0);
    for (const command of [
      'migrate',
      'seed --demo',
      'org create',
      'user create',
      'member add',
      'token create',
    ]) {
      expect(overview.stdout).toContain(`pnpm tollgate ${command}`);
    }
    const group = await cli('token', '--help');
    expect(group.code).toBe(0);
    expect(group.stdout).toContain('pnpm tollgate token revoke <id>');
    const help = await cli('token', 'create', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /^Usage: pnpm tollgate token create --org <slug> \(--user <email> \| --service\)/,
    );
    expect(help.stdout).toContain('--expires-in-days');
  });

  it('stops with one line naming a bad environment variable (exit 1)', async () => {
    const run = await runWith(undefined, { LOG_LEVEL: 'loud' })('token', 'list', '--org', 'acme');
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('LOG_LEVEL');
  });
});

describe('commands on a database', () => {
  let database: TestDatabase;
  let cli: ReturnType<typeof runWith>;
  const json = async <T>(...argv: string[]): Promise<T> => {
    const run = await cli(...argv, '--json');
    expect(run, run.stderr).toMatchObject({ code: 0 });
    return JSON.parse(run.stdout) as T;
  };
  /** A failing command: exit 1, its one-line reason on stderr, nothing on stdout. */
  const failure = async (...argv: string[]): Promise<string> => {
    const run = await cli(...argv);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toHaveLength(1);
    return run.stderr;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    cli = runWith(database);
    await json(
      'org',
      'create',
      '--name',
      'Globex',
      '--slug',
      'globex',
      '--owner-email',
      'hank@example.test',
      '--owner-password',
      'hank-password',
    );
    await json(
      'user',
      'create',
      '--email',
      'dev@example.test',
      '--name',
      'Dev',
      '--password',
      'dev-password',
    );
    await json('member', 'add', '--org', 'globex', '--email', 'dev@example.test', '--role', 'viewer');
    await json(
      'user',
      'create',
      '--email',
      'stranger@example.test',
      '--name',
      'S',
      '--password',
      'stranger-password',
    );
  });
  afterAll(async () => {
    await database?.close();
  });

  it('token create prints the token once, on a line of its own, with a warning; token list never shows it', async () => {
    const created = await cli(
      'token',
      'create',
      '--org',
      'globex',
      '--service',
      '--name',
      'deploy bot',
      '--scopes',
      'repositories:write',
    );
    expect(created.code).toBe(0);
    const lines = created.stdout.split('\n');
    const secret = lines.find((line) => parseToken(line).ok);
    expect(secret).toMatch(/^tgs_/);
    expect(lines.at(-1)).toBe('Copy this token now: it will not be shown again.');
    expect(created.stdout).toContain('repositories:write');

    const listed = await cli('token', 'list', '--org', 'globex');
    expect(listed.code).toBe(0);
    const row = listed.stdout.split('\n').find((line) => line.includes('deploy bot'));
    expect(row).toContain(`${secret?.slice(0, 12)}…`);
    expect(row).toContain('active');
    expect(listed.stdout).not.toContain(secret);
  });

  it('a personal token is bounded by its subject: the default set is clipped, scopes beyond the role refused', async () => {
    const token = await json<TTokenWithSecret>(
      'token',
      'create',
      '--org',
      'globex',
      '--user',
      'dev@example.test',
      '--name',
      'laptop',
    );
    expect(token.type).toBe('personal');
    // A viewer's ceiling holds no write scope and not billing:read.
    expect(token.scopes.some((scope) => scope.endsWith(':write') || scope === 'billing:read')).toBe(false);
    expect(token.scopes).toContain('wiki:read');

    expect(
      await failure(
        'token',
        'create',
        '--org',
        'globex',
        '--user',
        'dev@example.test',
        '--name',
        'x',
        '--scopes',
        'wiki:write',
      ),
    ).toMatch(/wiki:write/);
  });

  it.each([
    [
      ['token', 'create', '--org', 'globex', '--service', '--name', 'x', '--scopes', 'repos:read'],
      /not exist: repos:read/,
    ],
    [
      ['token', 'create', '--org', 'globex', '--service', '--name', 'x', '--ip', '10.0.0.300'],
      /ipAllowlist\.0: Expected an IPv4 or IPv6 address/,
    ],
    [
      ['token', 'create', '--org', 'initech', '--service', '--name', 'x'],
      /no organisation with the slug "initech"/,
    ],
    [['token', 'create', '--org', 'globex', '--user', 'nobody@example.test', '--name', 'x'], /no user/],
    [
      ['token', 'create', '--org', 'globex', '--user', 'stranger@example.test', '--name', 'x'],
      /not a member of globex/,
    ],
    [['token', 'revoke', 'tok_doesnotexist'], /no token with the id tok_doesnotexist/],
    [
      ['member', 'add', '--org', 'globex', '--email', 'dev@example.test', '--role', 'admin'],
      /already a member/,
    ],
    [
      ['user', 'create', '--email', 'DEV@example.test', '--name', 'Dev', '--password', 'another-password'],
      /already exists/,
    ],
    [
      ['user', 'create', '--email', 'not-an-email', '--name', 'Dev', '--password', 'another-password'],
      /valid email/,
    ],
    [
      [
        'org',
        'create',
        '--name',
        'G2',
        '--slug',
        'globex',
        '--owner-email',
        'new@example.test',
        '--owner-password',
        'new-password',
      ],
      /slug "globex" is already taken/,
    ],
    [
      [
        'org',
        'create',
        '--name',
        'G2',
        '--slug',
        'Bad Slug',
        '--owner-email',
        'new@example.test',
        '--owner-password',
        'new-password',
      ],
      /slug/i,
    ],
    [
      [
        'org',
        'create',
        '--name',
        'G2',
        '--slug',
        'g2',
        '--owner-email',
        'hank@example.test',
        '--owner-password',
        'wrong-password',
      ],
      /already exists and --owner-password is not their password/,
    ],
  ])('refuses %j with its reason (exit 1)', async (argv, message) => {
    expect(await failure(...argv)).toMatch(message);
  });

  it('a failed org create leaves no owner behind; an existing user becomes owner with their own password', async () => {
    await failure(
      'org',
      'create',
      '--name',
      'G2',
      '--slug',
      'globex',
      '--owner-email',
      'new@example.test',
      '--owner-password',
      'new-password',
    );
    expect(await findUserByEmail(database.db, 'new@example.test')).toBeUndefined();

    const result = await json<{
      organization: { slug: string; tier: string };
      owner: { email: string; created: boolean };
    }>(
      'org',
      'create',
      '--name',
      'Hooli',
      '--slug',
      'hooli',
      '--tier',
      'enterprise',
      '--owner-email',
      'HANK@example.test',
      '--owner-password',
      'hank-password',
    );
    expect(result.organization).toMatchObject({ slug: 'hooli', tier: 'enterprise' });
    expect(result.owner).toMatchObject({ email: 'hank@example.test', created: false });
  });

  it('org create with a new owner writes both or neither: a database failure midway leaves no user', async () => {
    // The organisation's insert fails, after the owner's insert in the same transaction.
    const failOrganizationInsert: KyselyPlugin = {
      transformQuery: ({ node }) => {
        if (InsertQueryNode.is(node) && node.into?.table.identifier.name === 'organizations') {
          throw new Error('the database failed midway');
        }
        return node;
      },
      transformResult: async ({ result }) => result,
    };
    const userAudits = async () =>
      (await database.db.selectFrom('auditLogs').select('id').where('action', '=', 'user.created').execute())
        .length;
    const auditsBefore = await userAudits();
    const failing = runWith({ ...database, db: database.db.withPlugin(failOrganizationInsert) });
    const run = await failing(
      'org',
      'create',
      '--name',
      'Midway',
      '--slug',
      'midway',
      '--owner-email',
      'midway@example.test',
      '--owner-password',
      'midway-password',
    );
    expect(run).toMatchObject({ code: 1, stdout: '', stderr: 'tollgate: the database failed midway' });
    expect(await findUserByEmail(database.db, 'midway@example.test')).toBeUndefined();
    expect(await userAudits()).toBe(auditsBefore);
  });

  it('token revoke revokes at once, records the system as actor, and refuses a second revoke', async () => {
    const token = await json<TTokenWithSecret>(
      'token',
      'create',
      '--org',
      'globex',
      '--service',
      '--name',
      'short-lived',
      '--expires-in-days',
      '7',
    );
    const revoked = await json<TToken>('token', 'revoke', token.id);
    expect(revoked).toMatchObject({ id: token.id, status: 'revoked' });
    expect(revoked).not.toHaveProperty('token');

    const list = await json<TToken[]>('token', 'list', '--org', 'globex');
    expect(list.find((item) => item.id === token.id)?.status).toBe('revoked');
    expect(await failure('token', 'revoke', token.id)).toMatch(/already been revoked/);

    const audit = await database.db
      .selectFrom('auditLogs')
      .select(['action', 'actorType', 'detail'])
      .where('targetId', '=', token.id)
      .orderBy('createdAt')
      .execute();
    expect(audit.map((entry) => [entry.action, entry.actorType])).toEqual([
      ['token.created', 'system'],
      ['token.revoked', 'system'],
    ]);
    expect(JSON.stringify(audit)).not.toContain(token.token);
  });

  it('migrate status lists every migration as applied', async () => {
    const run = await cli('migrate', 'status');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines)
      expect(line).toMatch(/^applied \d{4}-\d\d-\d\dT.*Z {2}\d{4}_\d\d_\d\d_\d{6}_\w+$/);
  });
});

describe('passwords from standard input (--password-stdin, --owner-password-stdin)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('reads the first line of standard input as the password, without its line break', async () => {
    const created = await runWith(database, {}, 'from stdin 1\r\nnot this line\n')(
      'user',
      'create',
      '--email',
      'piped@example.test',
      '--name',
      'Piped',
      '--password-stdin',
    );
    expect(created, created.stderr).toMatchObject({ code: 0 });
    const user = await findUserByEmail(database.db, 'piped@example.test');
    expect(await verifyPassword('from stdin 1', user?.passwordHash ?? '')).toBe(true);

    const org = await runWith(database, {}, 'owner secret\n')(
      'org',
      'create',
      '--name',
      'Piped',
      '--slug',
      'piped',
      '--owner-email',
      'owner@piped.test',
      '--owner-password-stdin',
    );
    expect(org, org.stderr).toMatchObject({ code: 0 });
    const owner = await findUserByEmail(database.db, 'owner@piped.test');
    expect(await verifyPassword('owner secret', owner?.passwordHash ?? '')).toBe(true);
  });

  it('fails (exit 1) and creates nothing when standard input is empty', async () => {
    for (const stdin of [undefined, '', '\n']) {
      const run = await runWith(database, {}, stdin)(
        'user',
        'create',
        '--email',
        'empty@example.test',
        '--name',
        'E',
        '--password-stdin',
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('tollgate: --password-stdin: standard input holds no password.');
    }
    expect(await findUserByEmail(database.db, 'empty@example.test')).toBeUndefined();
  });
});

describe('seed --demo', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('seeds the demo organisation once, with a working demo login, members of each role and service tokens', async () => {
    const cli = runWith(database);
    const first = await cli('seed', '--demo', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      created: true,
      email: DEMO_OWNER_EMAIL,
      password: DEMO_PASSWORD,
      organizationSlug: 'acme',
    });

    const owner = await findUserByEmail(database.db, DEMO_OWNER_EMAIL);
    expect(owner && (await verifyPassword(DEMO_PASSWORD, owner.passwordHash))).toBe(true);
    const roles = await database.db
      .selectFrom('memberships')
      .innerJoin('organizations', 'organizations.id', 'memberships.organizationId')
      .select(['memberships.role', 'organizations.tier'])
      .where('organizations.slug', '=', 'acme')
      .execute();
    expect(roles.map((row) => row.role).sort()).toEqual(['admin', 'member', 'owner', 'viewer']);
    expect(roles[0]?.tier).toBe('standard');

    const tokens = await cli('token', 'list', '--org', 'acme', '--json');
    const listed = JSON.parse(tokens.stdout) as TToken[];
    expect(listed.length).toBeGreaterThanOrEqual(1);
    expect(listed.every((token) => token.type === 'service' && token.status === 'active')).toBe(true);
    // The seed never prints a secret: nothing token-shaped in what it wrote.
    expect(first.stdout + first.stderr).not.toMatch(/tg[ps]_/);

    const again = await cli('seed', '--demo');
    expect(again).toMatchObject({
      code: 0,
      stdout: 'The database already has an organisation: nothing was seeded.',
    });
    const count = await database.db
      .selectFrom('organizations')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(Number(count?.n)).toBe(1);
  });
});
