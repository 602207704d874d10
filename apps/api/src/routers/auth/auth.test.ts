import { roleCeiling } from '@tollgate/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestHarness,
  type SeededOrganization,
  type TestHarness,
} from '../../../test/helpers/harness.ts';
import { browserRequest, expectFailure, failureOf, signIn } from '../../../test/helpers/sessions.ts';
import { LOGIN_LIMITS } from '../../auth/login-limiter.ts';
import { SESSION_COOKIE, SESSION_LIFETIME_MS, SESSION_TOUCH_INTERVAL_MS } from '../../auth/session.ts';
import { buildServer } from '../../server.ts';
import { createContextInner } from '../../trpc/context.ts';
import { createCallerFactory } from '../../trpc/init.ts';
import { appRouter } from '../root.ts';

const createCaller = createCallerFactory(appRouter);

let harness: TestHarness;
let org: SeededOrganization;

beforeAll(async () => {
  harness = await createTestHarness();
  org = await harness.seedOrganization();
});
afterAll(async () => {
  await harness?.close();
});

describe('auth.login', () => {
  it('signs in, sets the session cookie and returns the user, organisations and a CSRF token', async () => {
    const { owner } = org.users;
    const browser = await signIn(harness, owner.email, owner.password);
    expect(browser.session).toMatchObject({
      user: { id: owner.id, email: owner.email },
      organizations: [{ id: org.id, slug: org.slug, role: 'owner' }],
      currentOrganizationId: org.id,
      role: 'owner',
    });
    expect(browser.session.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const cookie = browser.jar.get(SESSION_COOKIE);
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie?.options).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/', secure: false });
    const lifetimeMs = (cookie?.options.expires?.getTime() ?? 0) - harness.clock.now().getTime();
    expect(lifetimeMs).toBe(SESSION_LIFETIME_MS);
  });

  it('accepts the email in any letter case', async () => {
    const { admin } = org.users;
    const browser = await signIn(harness, admin.email.toUpperCase(), admin.password);
    expect(browser.session.user.id).toBe(admin.id);
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const wrongPassword = await failureOf(
      harness.caller(browserRequest({ ip: '203.0.113.1' })).auth.login({
        email: org.users.member.email,
        password: 'not the password',
      }),
    );
    const unknownEmail = await failureOf(
      harness.caller(browserRequest({ ip: '203.0.113.1' })).auth.login({
        email: 'nobody@example.test',
        password: 'not the password',
      }),
    );
    expect(wrongPassword).toEqual({
      code: 'FORBIDDEN',
      message: 'Email or password is incorrect.',
      details: null,
    });
    expect(unknownEmail).toEqual(wrongPassword);
  });

  it('records session.login and session.login_failed (with the user id, never the password)', async () => {
    const { viewer } = org.users;
    await expectFailure(
      harness
        .caller(browserRequest({ ip: '203.0.113.2' }))
        .auth.login({ email: viewer.email, password: 'Guess-1234' }),
      'FORBIDDEN',
    );
    await signIn(harness, viewer.email, viewer.password, { ip: '203.0.113.2', userAgent: 'Firefox' });
    const entries = await harness.services.db
      .selectFrom('auditLogs')
      .selectAll()
      .where('actorUserId', '=', viewer.id)
      .orderBy('createdAt')
      .execute();
    expect(entries.map((entry: { action: string }) => entry.action)).toEqual([
      'session.login_failed',
      'session.login',
    ]);
    expect(entries[1]).toMatchObject({ organizationId: org.id, ip: '203.0.113.2', userAgent: 'Firefox' });
    expect(JSON.stringify(entries)).not.toContain('Guess-1234');
  });

  it('starts in the organisation named by organizationSlug, and refuses one the user is not in', async () => {
    const other = await harness.seedOrganization();
    const user = org.users.admin;
    await harness.services.db
      .insertInto('memberships')
      .values({ organizationId: other.id, userId: user.id, role: 'viewer' })
      .execute();
    const browser = await signIn(harness, user.email, user.password, { organizationSlug: other.slug });
    expect(browser.session).toMatchObject({ currentOrganizationId: other.id, role: 'viewer' });
    expect(browser.session.organizations).toHaveLength(2);

    const stranger = await harness.seedOrganization();
    await expectFailure(
      harness.caller(browserRequest()).auth.login({
        email: user.email,
        password: user.password,
        organizationSlug: stranger.slug,
      }),
      'NOT_FOUND',
    );
  });
});

describe('login limiter', () => {
  it('refuses with RATE_LIMITED after too many failures for one email from one address, even the right password', async () => {
    const user = await harness.seedUser('member', org.id);
    const request = { ip: '198.51.100.9' };
    for (let attempt = 0; attempt < LOGIN_LIMITS.perEmailAndIp.points; attempt += 1) {
      await expectFailure(
        harness
          .caller(browserRequest(request))
          .auth.login({ email: user.email, password: `wrong-${attempt}` }),
        'FORBIDDEN',
      );
    }
    const browser = browserRequest(request);
    await expectFailure(
      harness.caller(browser).auth.login({ email: user.email, password: user.password }),
      'RATE_LIMITED',
    );
    expect(Number(browser.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not held back by this one's failures.
    await signIn(harness, user.email, user.password, { ip: '198.51.100.10' });
  });

  it('does not count successful logins', async () => {
    const user = await harness.seedUser('member', org.id);
    for (let attempt = 0; attempt < LOGIN_LIMITS.perEmailAndIp.points + 2; attempt += 1) {
      await signIn(harness, user.email, user.password, { ip: '198.51.100.11' });
    }
  });
});

describe('auth.me, auth.logout and CSRF', () => {
  it('me returns the user, role, scopes and the same CSRF token as login', async () => {
    const { member } = org.users;
    const browser = await signIn(harness, member.email, member.password);
    const me = await harness.caller(browser).auth.me();
    expect(me).toMatchObject({ user: { id: member.id }, currentOrganizationId: org.id, role: 'member' });
    expect(me.scopes).toEqual([...roleCeiling('member')]);
    expect(me.csrfToken).toBe(browser.session.csrfToken);
  });

  it('me without a session is refused', async () => {
    await expectFailure(harness.caller(browserRequest()).auth.me(), 'MISSING_TOKEN');
    await expectFailure(
      harness.caller(browserRequest({ getCookie: () => 'A'.repeat(43) })).auth.me(),
      'MISSING_TOKEN',
    );
  });

  it('a cookie mutation needs the CSRF token: missing or wrong → FORBIDDEN, right → OK', async () => {
    const { owner } = org.users;
    const browser = await signIn(harness, owner.email, owner.password);
    const rename = (csrfToken: string | null) =>
      harness.caller({ ...browser, csrfToken }).organization.update({ name: 'Renamed by owner' });
    const missing = await expectFailure(rename(null), 'FORBIDDEN');
    expect(missing.message).toBe('Missing or invalid CSRF token.');
    await expectFailure(rename(`${browser.csrfToken.slice(0, -1)}x`), 'FORBIDDEN');
    await expectFailure(rename('x'), 'FORBIDDEN');
    // Another session's token does not fit this session.
    const other = await signIn(harness, owner.email, owner.password);
    await expectFailure(rename(other.csrfToken), 'FORBIDDEN');
    await expect(rename(browser.csrfToken)).resolves.toMatchObject({ name: 'Renamed by owner' });
    // Queries need no CSRF token.
    await expect(harness.caller({ ...browser, csrfToken: null }).organization.get()).resolves.toMatchObject({
      id: org.id,
    });
  });

  it('logout deletes the session: the cookie stops working, and logout itself needs the CSRF token', async () => {
    const { admin } = org.users;
    const browser = await signIn(harness, admin.email, admin.password);
    const stolenCookie = browser.jar.get(SESSION_COOKIE)?.value;
    await expectFailure(harness.caller({ ...browser, csrfToken: null }).auth.logout(), 'FORBIDDEN');
    await expect(harness.caller(browser).auth.logout()).resolves.toEqual({ signedOut: true });
    expect(browser.jar.has(SESSION_COOKIE)).toBe(false);
    // A copy of the cookie kept elsewhere is dead too.
    const replay = browserRequest({
      getCookie: (name) => (name === SESSION_COOKIE ? stolenCookie : undefined),
    });
    await expectFailure(harness.caller(replay).auth.me(), 'MISSING_TOKEN');
    const entry = await harness.services.db
      .selectFrom('auditLogs')
      .selectAll()
      .where('action', '=', 'session.logout')
      .where('actorId', '=', admin.id)
      .executeTakeFirst();
    expect(entry).toMatchObject({ organizationId: org.id, targetType: 'session' });
  });

  it('a session expires after its lifetime', async () => {
    const { viewer } = org.users;
    const browser = await signIn(harness, viewer.email, viewer.password);
    harness.clock.advance(SESSION_LIFETIME_MS - 1000);
    await expect(harness.caller(browser).auth.me()).resolves.toMatchObject({ role: 'viewer' });
    harness.clock.advance(1000);
    await expectFailure(harness.caller(browser).auth.me(), 'MISSING_TOKEN');
    // The next sign-in sweeps expired sessions away.
    await signIn(harness, viewer.email, viewer.password);
    const expired = await harness.services.db
      .selectFrom('sessions')
      .select('id')
      .where('expiresAt', '<=', harness.clock.now())
      .execute();
    expect(expired).toEqual([]);
    harness.clock.set(new Date());
  });

  it('refreshes lastSeenAt at most every few minutes, not on every request', async () => {
    const viewer = await harness.seedUser('viewer', org.id);
    const browser = await signIn(harness, viewer.email, viewer.password);
    const lastSeen = async () =>
      (
        await harness.services.db
          .selectFrom('sessions')
          .select('lastSeenAt')
          .where('userId', '=', viewer.id)
          .orderBy('createdAt', 'desc')
          .executeTakeFirstOrThrow()
      ).lastSeenAt.getTime();
    const start = await lastSeen();
    harness.clock.advance(60_000);
    await harness.caller(browser).auth.me();
    expect(await lastSeen()).toBe(start);
    harness.clock.advance(SESSION_TOUCH_INTERVAL_MS);
    await harness.caller(browser).auth.me();
    expect(await lastSeen()).toBe(harness.clock.now().getTime());
    harness.clock.set(new Date());
  });
});

describe('auth.switchOrganization', () => {
  it("switches to another of the user's organisations; any other is NOT_FOUND", async () => {
    const second = await harness.seedOrganization();
    const user = await harness.seedUser('member', org.id);
    await harness.services.db
      .insertInto('memberships')
      .values({ organizationId: second.id, userId: user.id, role: 'admin' })
      .execute();
    const browser = await signIn(harness, user.email, user.password);
    expect(browser.session).toMatchObject({ currentOrganizationId: org.id, role: 'member' });
    const switched = await harness.caller(browser).auth.switchOrganization({ organizationId: second.id });
    expect(switched).toMatchObject({ currentOrganizationId: second.id, role: 'admin' });
    expect(switched.scopes).toContain('team:write');
    await expect(harness.caller(browser).organization.get()).resolves.toMatchObject({ id: second.id });

    const stranger = await harness.seedOrganization();
    await expectFailure(
      harness.caller(browser).auth.switchOrganization({ organizationId: stranger.id }),
      'NOT_FOUND',
    );
  });
});

describe('sessions act with their role ceiling', () => {
  it.each([
    ['viewer', 'organization.get', true],
    ['viewer', 'members.list', true],
    ['viewer', 'audit.list', false],
    ['member', 'audit.list', false],
    ['admin', 'audit.list', true],
  ] as const)('%s → %s allowed: %s', async (role, procedure, allowed) => {
    const user = org.users[role];
    const browser = await signIn(harness, user.email, user.password);
    const caller = harness.caller(browser);
    const call =
      procedure === 'organization.get'
        ? caller.organization.get()
        : procedure === 'members.list'
          ? caller.members.list()
          : caller.audit.list();
    if (allowed) await expect(call).resolves.toBeDefined();
    else await expectFailure(call, 'INSUFFICIENT_SCOPE');
  });

  it('a removed member’s session stops acting in the organisation at once', async () => {
    const user = await harness.seedUser('admin', org.id);
    const browser = await signIn(harness, user.email, user.password);
    await expect(harness.caller(browser).organization.get()).resolves.toBeDefined();
    await harness.services.db
      .deleteFrom('memberships')
      .where('organizationId', '=', org.id)
      .where('userId', '=', user.id)
      .execute();
    await expectFailure(harness.caller(browser).organization.get(), 'FORBIDDEN');
    await expect(harness.caller(browser).auth.me()).resolves.toMatchObject({
      currentOrganizationId: null,
      role: null,
      scopes: [],
    });
  });
});

describe('session cookie over HTTP', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, 7 days, and not Secure over http on localhost', async () => {
    const app = await buildServer({ services: harness.services, webDist: '/nonexistent' });
    try {
      const { owner } = org.users;
      const login = (headers: Record<string, string>) =>
        app.inject({
          method: 'POST',
          url: '/trpc/auth.login',
          headers: { 'content-type': 'application/json', ...headers },
          payload: { email: owner.email, password: owner.password },
        });
      const plain = await login({});
      expect(plain.statusCode).toBe(200);
      const cookie = String(plain.headers['set-cookie']);
      expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43};`));
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).toMatch(/Path=\//);
      expect(cookie).toMatch(/Max-Age=604800/);
      // Served on 127.0.0.1 over plain http: a developer machine, where a Secure cookie would be dropped.
      expect(cookie).not.toMatch(/Secure/);
    } finally {
      await app.close();
    }
  });

  it('is Secure when the server listens beyond localhost', async () => {
    // The same database and process, configured as a server reachable from other machines.
    const services = { ...harness.services, env: { ...harness.env, HOST: '0.0.0.0' } };
    const browser = browserRequest();
    const { owner } = org.users;
    await createCaller(createContextInner({ services, request: browser })).auth.login({
      email: owner.email,
      password: owner.password,
    });
    expect(browser.jar.get(SESSION_COOKIE)?.options.secure).toBe(true);
  });

  it('is Secure for an https request even on localhost', async () => {
    const { owner } = org.users;
    const browser = await signIn(harness, owner.email, owner.password, { secure: true });
    expect(browser.jar.get(SESSION_COOKIE)?.options.secure).toBe(true);
  });
});
