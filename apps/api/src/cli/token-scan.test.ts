import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newToken } from '@tollgate/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHarness, type SeededOrganization, type TestHarness } from '../../test/helpers/harness.ts';
import { runCli } from './run.ts';

/** `pnpm tollgate token scan` (§11, §13), in process on the harness's database. */
let h: TestHarness;
let org: SeededOrganization;
let dir: string;
const secrets: Record<
  'active' | 'revoked' | 'retired' | 'current' | 'unknown',
  { id: string | null; token: string }
> = {} as never;

async function cli(argv: string[], stdin?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      ...(stdin === undefined ? {} : { stdin: async () => stdin }),
    },
    { LOG_LEVEL: 'warn', ...(h.databaseUrl ? { DATABASE_URL: h.databaseUrl } : {}) },
    { database: h.database },
  );
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

beforeAll(async () => {
  h = await createTestHarness();
  org = await h.seedOrganization();
  const issue = (extra: { revokedAt?: Date } = {}) =>
    h.issueToken({ organizationId: org.id, type: 'service', scopes: ['wiki:read'], ...extra });
  secrets.active = await issue();
  secrets.revoked = await issue({ revokedAt: new Date() });
  const rotating = await issue();
  const renewed = await h.callerWithToken(rotating.token).tokens.selfRotate({});
  secrets.retired = rotating;
  secrets.current = { id: rotating.id, token: renewed.token };
  secrets.unknown = { id: null, token: newToken('service', { prefix: h.env.TOKEN_PREFIX }).token };
  dir = mkdtempSync(join(tmpdir(), 'tollgate-scan-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await h?.close();
});

/** A file as a leak might look: tokens among other text, one twice, and a mistyped one. */
function leakedText(): string {
  const mistyped = `${secrets.active.token.slice(0, -1)}${secrets.active.token.endsWith('A') ? 'B' : 'A'}`;
  return [
    `export API_TOKEN=${secrets.active.token}`,
    `old: "${secrets.retired.token}" and ${secrets.revoked.token}`,
    `curl -H 'Authorization: Bearer ${secrets.active.token}'`,
    `someone else's: ${secrets.unknown.token}; a typo: ${mistyped}`,
  ].join('\n');
}

describe('token scan', () => {
  it('reads standard input, finds each token by pattern and checksum, and never prints a secret (--json)', async () => {
    const run = await cli(['token', 'scan', '-', '--json'], leakedText());
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const { found } = JSON.parse(run.stdout);
    const byId = (id: string | null) => found.find((f: { tokenId: string | null }) => f.tokenId === id);
    expect(found).toHaveLength(4);
    expect(byId(secrets.active.id)).toEqual({
      prefix: secrets.active.token.slice(0, 12),
      tokenId: secrets.active.id,
      status: 'active',
      locations: ['-:1', '-:3'],
      revoked: false,
    });
    expect(byId(secrets.revoked.id)).toMatchObject({ status: 'revoked', locations: ['-:2'] });
    expect(byId(secrets.retired.id)).toMatchObject({ status: 'retired', locations: ['-:2'] });
    expect(byId(null)).toMatchObject({ status: 'unknown', prefix: secrets.unknown.token.slice(0, 12) });
    for (const { token } of Object.values(secrets)) expect(run.stdout).not.toContain(token.slice(12));
  });

  it('scans a directory recursively; --revoke revokes the active token as exposed, and only that one', async () => {
    mkdirSync(join(dir, 'nested'), { recursive: true });
    writeFileSync(join(dir, 'nested', 'deploy.env'), leakedText());
    writeFileSync(join(dir, 'README.txt'), 'nothing to see');
    const run = await cli(['token', 'scan', dir, '--revoke']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`${secrets.active.token.slice(0, 12)}…`);
    expect(run.stdout).toContain(`${secrets.active.id}`);
    expect(run.stdout).toContain('revoked now (exposed)');
    expect(run.stdout).toContain(`${join(dir, 'nested', 'deploy.env')}:1`);
    for (const { token } of Object.values(secrets)) expect(run.stdout).not.toContain(token.slice(12));

    const tokens = await h.services.db
      .selectFrom('tokens')
      .select(['id', 'revokedReason'])
      .where('organizationId', '=', org.id)
      .execute();
    const reasonOf = (id: string | null) => tokens.find((token) => token.id === id)?.revokedReason;
    expect(reasonOf(secrets.active.id)).toBe('exposed');
    expect(reasonOf(secrets.revoked.id)).toBe('manual');
    expect(reasonOf(secrets.retired.id)).toBeNull(); // its retired secret leaked, not the current one
    expect(await h.callerWithToken(secrets.current.token).tokens.self()).toMatchObject({ status: 'active' });

    const again = await cli(['token', 'scan', dir, '--json', '--revoke']);
    expect(
      JSON.parse(again.stdout).found.find((f: { tokenId: string }) => f.tokenId === secrets.active.id),
    ).toMatchObject({ status: 'revoked', revoked: false });
  });

  it('says so when nothing is found, and fails with one line for a missing file', async () => {
    expect(await cli(['token', 'scan', '-'], 'no tokens here')).toMatchObject({
      code: 0,
      stdout: 'No tokens found.',
    });
    const missing = await cli(['token', 'scan', join(dir, 'nope.txt')]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr.split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^tollgate: .*nope\.txt/);
  });
});
