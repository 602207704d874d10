import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestHarness,
  type SeededOrganization,
  type TestHarness,
} from '../../../test/helpers/harness.ts';
import { browserRequest, expectFailure, signIn } from '../../../test/helpers/sessions.ts';
import { SESSION_COOKIE } from '../../auth/session.ts';
import { createOrganization, createUser } from '../../core/organizations.ts';

let harness: TestHarness;
let org: SeededOrganization;
let owner: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  harness = await createTestHarness();
  org = await harness.seedOrganization();
  owner = await signIn(harness, org.users.owner.email, org.users.owner.password);
  const caller = harness.caller(owner);
  const newcomer = await harness.seedUser('viewer', null);
  await caller.members.add({ email: newcomer.email, role: 'viewer' });
  await caller.members.changeRole({ userId: newcomer.id, role: 'member' });
  await caller.organization.update({ policy: { requireExpiry: true } });
  await caller.members.remove({ userId: newcomer.id });
  // Another organisation's activity must never show up here.
  const other = await harness.seedOrganization();
  await signIn(harness, other.users.owner.email, other.users.owner.password);
});
afterAll(async () => {
  await harness?.close();
});

describe('audit.list', () => {
  it('lists the organisation’s entries newest first, with actor, target, request and detail', async () => {
    const { data, nextCursor } = await harness.caller(owner).audit.list();
    expect(nextCursor).toBeNull();
    expect(data.map((entry) => entry.action)).toEqual([
      'member.removed',
      'organization.updated',
      'member.role_changed',
      'member.added',
      'session.login',
    ]);
    expect(data[2]).toEqual({
      id: expect.stringMatching(/^aud_/),
      actorType: 'user',
      actorId: org.users.owner.id,
      actorUserId: org.users.owner.id,
      action: 'member.role_changed',
      targetType: 'user',
      targetId: expect.stringMatching(/^usr_/),
      ip: '127.0.0.1',
      userAgent: 'vitest browser',
      // A caller outside HTTP: no request id (the HTTP surfaces' are held by test/request-id.test.ts).
      requestId: null,
      detail: { from: 'viewer', to: 'member' },
      createdAt: expect.stringMatching(/Z$/),
    });
  });

  it('pages with an opaque cursor, never repeating or skipping an entry', async () => {
    const everything = await harness.caller(owner).audit.list({ limit: 100 });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await harness.caller(owner).audit.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.data.map((entry) => entry.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(everything.data.map((entry) => entry.id));
    await expectFailure(harness.caller(owner).audit.list({ cursor: 'bogus' }), 'VALIDATION_FAILED');
  });

  it('filters by action, actor, target and time', async () => {
    const caller = harness.caller(owner);
    const all = (await caller.audit.list({ limit: 100 })).data;
    const byAction = await caller.audit.list({ action: 'member.added' });
    expect(byAction.data.map((entry) => entry.action)).toEqual(['member.added']);
    // A family: every member.… action; a part of a word is not one.
    const byFamily = await caller.audit.list({ action: 'member', limit: 100 });
    expect(byFamily.data.map((entry) => entry.action)).toEqual(
      all.filter((entry) => entry.action.startsWith('member.')).map((entry) => entry.action),
    );
    expect(byFamily.data.length).toBeGreaterThan(1);
    expect((await caller.audit.list({ action: 'memb' })).data).toEqual([]);

    const newcomerId = byAction.data[0]?.targetId ?? '';
    const byTarget = await caller.audit.list({ target: newcomerId });
    expect(byTarget.data.map((entry) => entry.action)).toEqual([
      'member.removed',
      'member.role_changed',
      'member.added',
    ]);

    const byActor = await caller.audit.list({ actor: org.users.owner.id });
    expect(byActor.data).toHaveLength(all.length);
    expect((await caller.audit.list({ actor: org.users.viewer.id })).data).toEqual([]);

    // Bounds are inclusive to the millisecond.
    const middle = all[2];
    if (!middle) throw new Error('expected at least three entries');
    const from = await caller.audit.list({ from: middle.createdAt, limit: 100 });
    expect(from.data.map((entry) => entry.id)).toEqual(all.slice(0, 3).map((entry) => entry.id));
    const to = await caller.audit.list({ to: middle.createdAt, limit: 100 });
    expect(to.data.map((entry) => entry.id)).toEqual(all.slice(2).map((entry) => entry.id));
    await expectFailure(caller.audit.list({ from: 'yesterday' }), 'VALIDATION_FAILED');
    await expectFailure(
      caller.audit.list({ from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' }),
      'VALIDATION_FAILED',
    );
  });

  it('needs audit:read: a token with it reads the log, one without is refused', async () => {
    const reader = await harness.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['audit:read'],
    });
    const page = await harness.callerWithToken(reader.token).audit.list({ limit: 1 });
    expect(page.data).toHaveLength(1);
    const other = await harness.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['team:read'],
    });
    await expectFailure(harness.callerWithToken(other.token).audit.list(), 'INSUFFICIENT_SCOPE');
  });
});

describe('secrets never reach the database in plain text', () => {
  it('audit_logs, sessions and users hold no password, session secret or CSRF token', async () => {
    const password = 'Plain-Password-5f3a9c!';
    const wrongPassword = 'Wrong-Password-81be2d!';
    const user = await createUser(harness.services, {
      email: 'secret.keeper@example.test',
      name: 'Keeper',
      password,
    });
    const organization = await createOrganization(
      harness.services,
      { kind: 'system' },
      {
        name: 'Secrets Inc.',
        slug: 'secrets-inc',
        ownerUserId: user.id,
      },
    );

    await expectFailure(
      harness.caller(browserRequest()).auth.login({ email: user.email, password: wrongPassword }),
      'FORBIDDEN',
    );
    const first = await signIn(harness, user.email, password);
    const second = await signIn(harness, user.email, password, { organizationSlug: organization.slug });
    await harness.caller(first).auth.me();
    await harness.caller(first).auth.switchOrganization({ organizationId: organization.id });
    await harness.caller(first).organization.update({ name: 'Secrets Renamed' });
    const secondCookie = second.jar.get(SESSION_COOKIE)?.value ?? '';
    await harness.caller(second).auth.logout();

    const secrets = {
      password,
      wrongPassword,
      firstCookie: first.jar.get(SESSION_COOKIE)?.value ?? '',
      secondCookie,
      firstCsrf: first.csrfToken,
      secondCsrf: second.csrfToken,
    };
    expect(secrets.firstCookie).toHaveLength(43);
    expect(secrets.secondCookie).toHaveLength(43);
    expect(secrets.firstCsrf.length).toBeGreaterThan(20);

    // Every column of every row.
    const dump = async (table: 'auditLogs' | 'sessions' | 'users') =>
      JSON.stringify(await harness.services.db.selectFrom(table).selectAll().execute());
    const tables = {
      audit: await dump('auditLogs'),
      sessions: await dump('sessions'),
      users: await dump('users'),
    };
    expect(tables.audit).toContain('session.login_failed');
    expect(tables.sessions).toContain(user.id);
    for (const [table, text] of Object.entries(tables)) {
      for (const [name, secret] of Object.entries(secrets)) {
        expect(text.includes(secret), `${name} found in ${table}`).toBe(false);
      }
    }
  });
});
