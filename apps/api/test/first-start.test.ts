import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@tollgate/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../src/auth/session.ts';
import { DEMO_CREDITS, DEMO_OWNER_EMAIL, DEMO_PASSWORD, DEMO_REPOSITORY } from '../src/seed.ts';
import { spawnServer } from './helpers/spawn-server.ts';

/**
 * The first `pnpm start` (§17), as a real process: the embedded default seeds a demo that works at once;
 * an empty PostgreSQL (a real deployment) gets no account with a published password, only the way to
 * create its first owner.
 */

/** The start-up lines a person reads: where the app, the playground and the docs are. */
function expectAddresses(output: string, url: string): void {
  expect(output).toContain(`web app     ${url}/`);
  expect(output).toContain(`playground  ${url}/playground`);
  expect(output).toContain(`API docs    ${url}/docs`);
}

describe.runIf(process.env.DATABASE_URL)('first start on an empty PostgreSQL database', () => {
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await database?.close();
  });

  it('creates no account, prints no password, and says how to create the first owner', async () => {
    database = await createTestDatabase();
    const server = await spawnServer({ DATABASE_URL: database.url ?? '' });
    let output: string;
    try {
      const docs = await fetch(`${server.url}/docs`);
      expect(docs.status).toBe(200);
      output = server.output();
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
    expectAddresses(output, server.url);
    expect(output).toContain('No organisation yet');
    expect(output).toMatch(/pnpm tollgate org create .*--owner-email \S+ --owner-password-stdin/);
    expect(output).not.toContain(DEMO_PASSWORD);
    const users = await database.db.selectFrom('users').select('id').execute();
    const organizations = await database.db.selectFrom('organizations').select('id').execute();
    expect({ users: users.length, organizations: organizations.length }).toEqual({
      users: 0,
      organizations: 0,
    });
  }, 90_000);
});

describe('first start on the embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-first-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('seeds a demo whose owner can sign in, make a token and trigger a review on its repository', async () => {
    const server = await spawnServer({ TOLLGATE_DATA_DIR: join(dataDir, 'pglite') });
    try {
      const output = server.output();
      expectAddresses(output, server.url);
      expect(output).toContain(`Sign in as ${DEMO_OWNER_EMAIL} / ${DEMO_PASSWORD}`);
      expect(output).not.toContain('No organisation yet');

      // Sign in as the web app does, then create a token as the tokens page does.
      const origin = server.url;
      const login = await fetch(`${origin}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ email: DEMO_OWNER_EMAIL, password: DEMO_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const { csrfToken } = ((await login.json()) as { result: { data: { csrfToken: string } } }).result.data;
      const session = login.headers
        .getSetCookie()
        .find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`))
        ?.split(';')[0];
      expect(session).toBeTruthy();
      const created = await fetch(`${origin}/api/v1/tokens`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin,
          cookie: session ?? '',
          'x-csrf-token': csrfToken,
        },
        body: JSON.stringify({
          name: 'first review',
          scopes: ['repositories:read', 'reviews:write', 'billing:read'],
        }),
      });
      expect(created.status).toBe(201);
      const token = ((await created.json()) as { token: string }).token;
      const bearer = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

      const credits = await fetch(`${origin}/api/v1/billing/credits`, { headers: bearer });
      expect(((await credits.json()) as { balance: number }).balance).toBe(DEMO_CREDITS);
      const repositories = (await (
        await fetch(`${origin}/api/v1/repositories`, { headers: bearer })
      ).json()) as {
        data: { id: string; name: string }[];
      };
      const repository = repositories.data.find((candidate) => candidate.name === DEMO_REPOSITORY.name);
      expect(repository).toBeDefined();

      const review = await fetch(`${origin}/api/v1/reviews/trigger`, {
        method: 'POST',
        headers: bearer,
        body: JSON.stringify({ repositoryId: repository?.id, title: 'Add rate limits' }),
      });
      expect(review.status, await review.clone().text()).toBe(201);
      expect(await review.json()).toMatchObject({ repositoryId: repository?.id, title: 'Add rate limits' });
    } finally {
      expect(await server.stop('SIGINT')).toBe(0);
    }
  }, 120_000);
});
