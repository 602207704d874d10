import { DEFAULT_POLICY } from '@tollgate/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestHarness,
  type SeededOrganization,
  type TestHarness,
} from '../../../test/helpers/harness.ts';
import { expectFailure, signIn } from '../../../test/helpers/sessions.ts';
import type { InvalidationEvent } from '../../invalidation.ts';

const DAY = 24 * 60 * 60 * 1000;

let harness: TestHarness;
let org: SeededOrganization;

beforeAll(async () => {
  harness = await createTestHarness();
  org = await harness.seedOrganization({ tier: 'premium' });
});
afterAll(async () => {
  await harness?.close();
});

async function sessionOf(role: keyof SeededOrganization['users'], organization = org) {
  const user = organization.users[role];
  return harness.caller(await signIn(harness, user.email, user.password));
}

describe('organization.get', () => {
  it('returns the organisation with its resolved policy and tier limits', async () => {
    const organization = await (await sessionOf('viewer')).organization.get();
    expect(organization).toEqual({
      id: org.id,
      name: expect.any(String),
      slug: org.slug,
      tier: 'premium',
      policy: { ...DEFAULT_POLICY },
      rateLimits: { perMinute: 600, perHour: 30_000 },
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it('works with a token holding organization:read, and shows only the token’s own organisation', async () => {
    const other = await harness.seedOrganization();
    const { token } = await harness.issueToken({
      organizationId: other.id,
      type: 'service',
      scopes: ['organization:read'],
    });
    await expect(harness.callerWithToken(token).organization.get()).resolves.toMatchObject({ id: other.id });
  });

  it('is read once and reused until an invalidation says the organisation changed', async () => {
    const own = await harness.seedOrganization();
    const viewer = await sessionOf('viewer', own);
    const owner = await sessionOf('owner', own);
    const before = await viewer.organization.get();
    // A change that tells nobody (as a hand-edited row would be) is not seen: the organisation is cached…
    await harness.services.db
      .updateTable('organizations')
      .set({ name: 'Edited behind its back' })
      .where('id', '=', own.id)
      .execute();
    await expect(viewer.organization.get()).resolves.toMatchObject({ name: before.name });
    // …until the invalidation every change publishes (here as another process's would arrive).
    await harness.services.invalidation.publish({ kind: 'organization', organizationId: own.id });
    await expect(viewer.organization.get()).resolves.toMatchObject({ name: 'Edited behind its back' });
    // A change through the product is seen at once.
    await owner.organization.update({ name: 'Renamed' });
    await expect(viewer.organization.get()).resolves.toMatchObject({ name: 'Renamed' });
  });

  it('is refused to a token without organization:read', async () => {
    const { token } = await harness.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['wiki:read'],
    });
    await expectFailure(harness.callerWithToken(token).organization.get(), 'INSUFFICIENT_SCOPE');
  });
});

describe('organization.update', () => {
  it.each([
    ['viewer', false],
    ['member', false],
    ['admin', true],
    ['owner', true],
  ] as const)('a %s session may update: %s', async (role, allowed) => {
    const call = (await sessionOf(role)).organization.update({ name: `Renamed by ${role}` });
    if (allowed) await expect(call).resolves.toMatchObject({ name: `Renamed by ${role}` });
    else await expectFailure(call, 'INSUFFICIENT_SCOPE');
  });

  it.each([
    [{ policy: { maxTokenLifetimeDays: 0 } }, 'policy.maxTokenLifetimeDays'],
    [{ policy: { apiAccess: 'cookies_only' } }, 'policy.apiAccess'],
    [{ policy: { tokenUseRoles: ['owner', 'owner'] } }, 'policy.tokenUseRoles'],
    [{ policy: { tokenCreateRoles: ['superuser'] } }, 'policy.tokenCreateRoles.0'],
    [{ policy: { allowedIpRanges: ['10.0.0.0/33'] } }, 'policy.allowedIpRanges.0'],
    [{ policy: { expiryNoticeDays: [0] } }, 'policy.expiryNoticeDays.0'],
    [{ policy: { expiryNoticeDays: [366] } }, 'policy.expiryNoticeDays.0'],
    [{ policy: { expiryNoticeDays: [7.5] } }, 'policy.expiryNoticeDays.0'],
    [{ policy: { expiryNoticeDays: [7, 7] } }, 'policy.expiryNoticeDays'],
    [{ policy: { expiryNoticeDays: [60, 30, 14, 7, 3, 1] } }, 'policy.expiryNoticeDays'],
    [{ policy: { revokeOnReuse: 'yes' } }, 'policy.revokeOnReuse'],
    [{ name: '' }, 'name'],
    [{}, ''],
  ])('refuses %j with VALIDATION_FAILED naming %s', async (input, path) => {
    const owner = await sessionOf('owner');
    const failure = await expectFailure(
      owner.organization.update(input as Parameters<typeof owner.organization.update>[0]),
      'VALIDATION_FAILED',
    );
    expect(failure.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });

  it('changes only the given policy fields, records each change with its old and new value, and invalidates caches', async () => {
    const target = await harness.seedOrganization();
    const events: InvalidationEvent[] = [];
    const unsubscribe = harness.services.invalidation.subscribe((event) => events.push(event));
    try {
      const owner = await sessionOf('owner', target);
      const updated = await owner.organization.update({
        policy: {
          requireExpiry: true,
          maxTokenLifetimeDays: 90,
          allowedIpRanges: ['10.0.0.0/8', '2001:db8::/32'],
        },
      });
      expect(updated.policy).toEqual({
        ...DEFAULT_POLICY,
        requireExpiry: true,
        maxTokenLifetimeDays: 90,
        allowedIpRanges: ['10.0.0.0/8', '2001:db8::/32'],
      });
      const again = await owner.organization.update({ policy: { apiAccess: 'tokens_only' } });
      expect(again.policy).toMatchObject({
        requireExpiry: true,
        maxTokenLifetimeDays: 90,
        apiAccess: 'tokens_only',
      });
      await expect(owner.organization.get()).resolves.toEqual(
        expect.objectContaining({ policy: again.policy }),
      );

      const entries = await harness.services.db
        .selectFrom('auditLogs')
        .selectAll()
        .where('organizationId', '=', target.id)
        .where('action', '=', 'organization.updated')
        .orderBy('createdAt')
        .execute();
      expect(entries).toHaveLength(2);
      expect(entries[0]).toMatchObject({
        actorType: 'user',
        actorId: target.users.owner.id,
        targetType: 'organization',
        targetId: target.id,
      });
      expect(entries[0]?.detail).toEqual({
        fields: ['policy.maxTokenLifetimeDays', 'policy.requireExpiry', 'policy.allowedIpRanges'],
        before: {
          'policy.requireExpiry': false,
          'policy.maxTokenLifetimeDays': null,
          'policy.allowedIpRanges': [],
        },
        after: {
          'policy.requireExpiry': true,
          'policy.maxTokenLifetimeDays': 90,
          'policy.allowedIpRanges': ['10.0.0.0/8', '2001:db8::/32'],
        },
      });
      expect(entries[1]?.detail).toEqual({
        fields: ['policy.apiAccess'],
        before: { 'policy.apiAccess': 'tokens_and_sessions' },
        after: { 'policy.apiAccess': 'tokens_only' },
      });
      expect(events.filter((event) => event.kind === 'organization')).toEqual([
        { kind: 'organization', organizationId: target.id },
        { kind: 'organization', organizationId: target.id },
      ]);
    } finally {
      unsubscribe();
    }
  });

  it('reports live tokens beyond a tightened lifetime, without shortening or ending them', async () => {
    const target = await harness.seedOrganization();
    const now = harness.clock.now().getTime();
    const subject = target.users.member.id;
    const forever = await harness.issueToken({
      organizationId: target.id,
      subjectUserId: subject,
      scopes: ['organization:read'],
    });
    const long = await harness.issueToken({
      organizationId: target.id,
      subjectUserId: subject,
      scopes: ['organization:read'],
      expiresAt: new Date(now + 200 * DAY),
    });
    await harness.issueToken({
      organizationId: target.id,
      subjectUserId: subject,
      scopes: ['organization:read'],
      expiresAt: new Date(now + 10 * DAY),
    });
    await harness.issueToken({
      organizationId: target.id,
      subjectUserId: subject,
      scopes: ['organization:read'],
      revokedAt: new Date(now),
    });
    const owner = await sessionOf('owner', target);

    const loose = await owner.organization.update({ policy: { maxTokenLifetimeDays: 365 } });
    expect(loose.tokensBeyondPolicy).toBe(1); // only the token without expiry
    const tight = await owner.organization.update({ policy: { maxTokenLifetimeDays: 30 } });
    expect(tight.tokensBeyondPolicy).toBe(2);

    const rows = await harness.services.db
      .selectFrom('tokens')
      .select(['id', 'expiresAt'])
      .where('id', 'in', [forever.id, long.id])
      .execute();
    expect(
      Object.fromEntries(
        rows.map((row: { id: string; expiresAt: Date | null }) => [row.id, row.expiresAt?.getTime() ?? null]),
      ),
    ).toEqual({
      [forever.id]: null,
      [long.id]: now + 200 * DAY,
    });
    await expect(harness.callerWithToken(long.token).organization.get()).resolves.toMatchObject({
      id: target.id,
    });
  });

  it('records nothing when nothing changes', async () => {
    const target = await harness.seedOrganization();
    const owner = await sessionOf('owner', target);
    await owner.organization.update({ policy: { requireExpiry: false } });
    const entries = await harness.services.db
      .selectFrom('auditLogs')
      .select('id')
      .where('organizationId', '=', target.id)
      .where('action', '=', 'organization.updated')
      .execute();
    expect(entries).toHaveLength(0);
  });
});
