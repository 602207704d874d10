import type { Role } from '@tollgate/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestHarness,
  type SeededOrganization,
  type TestHarness,
} from '../../../test/helpers/harness.ts';
import { expectFailure, failureOf, signIn } from '../../../test/helpers/sessions.ts';
import { addMember } from '../../core/members.ts';
import type { InvalidationEvent } from '../../invalidation.ts';

let harness: TestHarness;

beforeAll(async () => {
  harness = await createTestHarness();
});
afterAll(async () => {
  await harness?.close();
});

async function sessionOf(org: SeededOrganization, role: Role) {
  const user = org.users[role];
  return harness.caller(await signIn(harness, user.email, user.password));
}

async function roleOf(organizationId: string, userId: string) {
  const row = await harness.services.db
    .selectFrom('memberships')
    .select('role')
    .where('organizationId', '=', organizationId)
    .where('userId', '=', userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

async function auditOf(organizationId: string, action: string) {
  return harness.services.db
    .selectFrom('auditLogs')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('action', '=', action)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

describe('members.list', () => {
  it('pages through every member once, oldest first, with an opaque cursor', async () => {
    const org = await harness.seedOrganization();
    for (let extra = 0; extra < 3; extra += 1) await harness.seedUser('member', org.id);
    const viewer = await sessionOf(org, 'viewer');
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await viewer.members.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((member) => member.userId));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const all = await viewer.members.list({ limit: 100 });
    expect(all.nextCursor).toBeNull();
    expect(all.data.map((member) => member.userId)).toEqual(seen);
    expect(all.data[0]).toEqual({
      userId: org.users.owner.id,
      email: org.users.owner.email,
      name: expect.any(String),
      role: 'owner',
      joinedAt: expect.stringMatching(/Z$/),
    });
  });

  it('refuses a forged cursor and an out-of-range limit with VALIDATION_FAILED', async () => {
    const org = await harness.seedOrganization();
    const viewer = await sessionOf(org, 'viewer');
    await expectFailure(viewer.members.list({ cursor: 'not-a-cursor' }), 'VALIDATION_FAILED');
    await expectFailure(viewer.members.list({ limit: 101 }), 'VALIDATION_FAILED');
  });
});

describe('who may change the team', () => {
  it.each([
    ['viewer', false],
    ['member', false],
    ['admin', true],
    ['owner', true],
  ] as const)('a %s may add members: %s', async (role, allowed) => {
    const org = await harness.seedOrganization();
    const newcomer = await harness.seedUser('viewer', null);
    const call = (await sessionOf(org, role)).members.add({ email: newcomer.email, role: 'viewer' });
    if (allowed) await expect(call).resolves.toMatchObject({ userId: newcomer.id, role: 'viewer' });
    else await expectFailure(call, 'INSUFFICIENT_SCOPE');
  });

  // [actor, change] → outcome: only an owner may grant, change or remove the owner role.
  it.each([
    ['admin', 'grant owner on add', 'FORBIDDEN'],
    ['admin', 'promote to owner', 'FORBIDDEN'],
    ['admin', 'demote an owner', 'FORBIDDEN'],
    ['admin', 'remove an owner', 'FORBIDDEN'],
    ['owner', 'grant owner on add', 'OK'],
    ['owner', 'promote to owner', 'OK'],
    ['owner', 'demote an owner', 'OK'],
    ['owner', 'remove an owner', 'OK'],
  ] as const)('%s: %s → %s', async (actorRole, change, outcome) => {
    const org = await harness.seedOrganization();
    const secondOwner = await harness.seedUser('owner', org.id);
    const newcomer = await harness.seedUser('viewer', null);
    const actor = await sessionOf(org, actorRole);
    const call = {
      'grant owner on add': () => actor.members.add({ email: newcomer.email, role: 'owner' }),
      'promote to owner': () => actor.members.changeRole({ userId: org.users.member.id, role: 'owner' }),
      'demote an owner': () => actor.members.changeRole({ userId: secondOwner.id, role: 'admin' }),
      'remove an owner': () => actor.members.remove({ userId: secondOwner.id }),
    }[change]();
    if (outcome === 'OK') await expect(call).resolves.toBeDefined();
    else {
      const failure = await expectFailure(call, outcome);
      expect(failure.message).toMatch(/only an owner/i);
    }
  });

  it('a service token with team:write cannot grant the owner role, but can add a member', async () => {
    const org = await harness.seedOrganization();
    const { token } = await harness.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['team:write'],
    });
    const newcomer = await harness.seedUser('viewer', null);
    await expectFailure(
      harness.callerWithToken(token).members.add({ email: newcomer.email, role: 'owner' }),
      'FORBIDDEN',
    );
    await expect(
      harness.callerWithToken(token).members.add({ email: newcomer.email, role: 'member' }),
    ).resolves.toMatchObject({ role: 'member' });
    const [entry] = await auditOf(org.id, 'member.added');
    expect(entry).toMatchObject({ actorType: 'token', targetId: newcomer.id, detail: { role: 'member' } });
  });
});

describe('members.add', () => {
  it('adds an existing user by email, records it, and refuses duplicates and unknown emails', async () => {
    const org = await harness.seedOrganization();
    const newcomer = await harness.seedUser('viewer', null);
    const events: InvalidationEvent[] = [];
    const unsubscribe = harness.services.invalidation.subscribe((event) => events.push(event));
    try {
      const admin = await sessionOf(org, 'admin');
      const added = await admin.members.add({ email: newcomer.email.toUpperCase(), role: 'member' });
      expect(added).toMatchObject({ userId: newcomer.id, email: newcomer.email, role: 'member' });
      expect(await roleOf(org.id, newcomer.id)).toBe('member');
      expect(events).toContainEqual({ kind: 'member', organizationId: org.id, userId: newcomer.id });
      const [entry] = await auditOf(org.id, 'member.added');
      expect(entry).toMatchObject({ actorId: org.users.admin.id, targetType: 'user', targetId: newcomer.id });

      await expectFailure(admin.members.add({ email: newcomer.email, role: 'viewer' }), 'CONFLICT');
      await expectFailure(admin.members.add({ email: 'nobody@example.test', role: 'viewer' }), 'NOT_FOUND');
      await expectFailure(admin.members.add({ email: 'not an email', role: 'viewer' }), 'VALIDATION_FAILED');
    } finally {
      unsubscribe();
    }
  });

  it('is what the CLI calls as the system actor (may grant owner)', async () => {
    const org = await harness.seedOrganization();
    const newcomer = await harness.seedUser('viewer', null);
    await expect(
      addMember(
        harness.services,
        { kind: 'system' },
        { organizationId: org.id, email: newcomer.email, role: 'owner' },
      ),
    ).resolves.toMatchObject({ role: 'owner' });
    const [entry] = await auditOf(org.id, 'member.added');
    expect(entry).toMatchObject({ actorType: 'system', actorId: null, targetId: newcomer.id });
  });
});

describe('members.changeRole and members.remove', () => {
  it('changes a role, records from/to, and keeps the last owner', async () => {
    const org = await harness.seedOrganization();
    const owner = await sessionOf(org, 'owner');
    await expect(
      owner.members.changeRole({ userId: org.users.member.id, role: 'viewer' }),
    ).resolves.toMatchObject({
      role: 'viewer',
    });
    const [entry] = await auditOf(org.id, 'member.role_changed');
    expect(entry).toMatchObject({ targetId: org.users.member.id, detail: { from: 'member', to: 'viewer' } });

    const lastOwner = await expectFailure(
      owner.members.changeRole({ userId: org.users.owner.id, role: 'admin' }),
      'CONFLICT',
    );
    expect(lastOwner.message).toMatch(/at least one owner/);
    await expectFailure(owner.members.remove({ userId: org.users.owner.id }), 'CONFLICT');
    expect(await roleOf(org.id, org.users.owner.id)).toBe('owner');
  });

  it('refuses users who are not members of this organisation with NOT_FOUND', async () => {
    const org = await harness.seedOrganization();
    const other = await harness.seedOrganization();
    const admin = await sessionOf(org, 'admin');
    await expectFailure(
      admin.members.changeRole({ userId: other.users.member.id, role: 'viewer' }),
      'NOT_FOUND',
    );
    await expectFailure(admin.members.remove({ userId: other.users.member.id }), 'NOT_FOUND');
    expect(await roleOf(other.id, other.users.member.id)).toBe('member');
  });

  it('of two owners demoting each other at once, exactly one succeeds', async () => {
    const org = await harness.seedOrganization();
    const second = await harness.seedUser('owner', org.id);
    const first = await sessionOf(org, 'owner');
    const other = harness.caller(await signIn(harness, second.email, second.password));
    const results = await Promise.allSettled([
      first.members.changeRole({ userId: second.id, role: 'admin' }),
      other.members.changeRole({ userId: org.users.owner.id, role: 'admin' }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    expect(await failureOf(Promise.reject(rejected?.reason))).toMatchObject({ code: 'CONFLICT' });
    const owners = await harness.services.db
      .selectFrom('memberships')
      .select('userId')
      .where('organizationId', '=', org.id)
      .where('role', '=', 'owner')
      .execute();
    expect(owners).toHaveLength(1);
  });

  it("a role downgrade narrows the member's personal tokens at once", async () => {
    const org = await harness.seedOrganization();
    const { token } = await harness.issueToken({
      organizationId: org.id,
      subjectUserId: org.users.admin.id,
      scopes: ['audit:read', 'team:read'],
    });
    // Used once, so that the token is cached in this process.
    await expect(harness.callerWithToken(token).audit.list()).resolves.toBeDefined();
    await (await sessionOf(org, 'owner')).members.changeRole({ userId: org.users.admin.id, role: 'member' });
    await expectFailure(harness.callerWithToken(token).audit.list(), 'INSUFFICIENT_SCOPE');
    await expect(harness.callerWithToken(token).members.list()).resolves.toBeDefined();
  });

  it('removing a member stops their personal tokens at once and is recorded', async () => {
    const org = await harness.seedOrganization();
    const { token } = await harness.issueToken({
      organizationId: org.id,
      subjectUserId: org.users.member.id,
      scopes: ['team:read'],
    });
    await expect(harness.callerWithToken(token).members.list()).resolves.toBeDefined();
    const removed = await (await sessionOf(org, 'admin')).members.remove({ userId: org.users.member.id });
    expect(removed).toMatchObject({ userId: org.users.member.id, role: 'member' });
    expect(await roleOf(org.id, org.users.member.id)).toBeNull();
    await expectFailure(harness.callerWithToken(token).members.list(), 'ROLE_NOT_ALLOWED');
    const [entry] = await auditOf(org.id, 'member.removed');
    expect(entry).toMatchObject({
      actorId: org.users.admin.id,
      targetId: org.users.member.id,
      detail: { role: 'member' },
    });
  });
});
