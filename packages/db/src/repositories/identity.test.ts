import { afterAll, beforeAll, expect, test } from 'vitest';
import { createOrganization, createUser, randomId } from '../test-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import {
  deleteMembership,
  findMembership,
  insertMembership,
  listMembershipsForUser,
  listMembersPage,
  updateMembershipRole,
} from './memberships.ts';
import {
  findOrganizationById,
  findOrganizationBySlug,
  insertOrganization,
  updateOrganization,
} from './organizations.ts';
import { findUserByEmail, findUserById } from './users.ts';

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

test('organisations: insert with defaults, find by id and slug, update', async () => {
  const organization = await insertOrganization(handle.db, {
    id: randomId('org'),
    name: 'Initech',
    slug: `initech-${randomId('x').slice(2)}`,
    policy: { tokenCreatorRoles: ['owner', 'admin'], maxTokenLifetimeDays: 90 },
  });
  expect(organization).toMatchObject({ tier: 'free', creditBalance: 0, customRateLimitPerMinute: null });
  expect(await findOrganizationById(handle.db, organization.id)).toEqual(organization);
  expect(await findOrganizationBySlug(handle.db, organization.slug)).toEqual(organization);

  const updated = await updateOrganization(handle.db, organization.id, {
    tier: 'enterprise',
    policy: { apiAccess: 'tokens_only' },
  });
  expect(updated).toMatchObject({ tier: 'enterprise', policy: { apiAccess: 'tokens_only' } });
  expect(updated?.updatedAt.getTime()).toBeGreaterThanOrEqual(organization.updatedAt.getTime());
  expect(await updateOrganization(handle.db, 'org_missing', { name: 'x' })).toBeUndefined();
});

test('users are found by email whatever its case', async () => {
  const user = await createUser(handle.db, `${randomId('grace')}@Example.COM`);
  expect(await findUserByEmail(handle.db, user.email.toLowerCase())).toEqual(user);
  expect(await findUserByEmail(handle.db, user.email.toUpperCase())).toEqual(user);
  expect(await findUserById(handle.db, user.id)).toEqual(user);
  expect(await findUserByEmail(handle.db, 'nobody@example.com')).toBeUndefined();
});

test('memberships: add, list both ways, change role, remove', async () => {
  const acme = await createOrganization(handle.db);
  const globex = await createOrganization(handle.db);
  const ada = await createUser(handle.db);
  const bob = await createUser(handle.db);
  await insertMembership(handle.db, { organizationId: acme.id, userId: ada.id, role: 'owner' });
  await insertMembership(handle.db, { organizationId: acme.id, userId: bob.id, role: 'viewer' });
  await insertMembership(handle.db, { organizationId: globex.id, userId: ada.id, role: 'member' });

  const members = await listMembersPage(handle.db, acme.id, { limit: 10 });
  expect(members.map(({ userId, role, email }) => ({ userId, role, email }))).toEqual([
    { userId: ada.id, role: 'owner', email: ada.email },
    { userId: bob.id, role: 'viewer', email: bob.email },
  ]);
  const organizations = await listMembershipsForUser(handle.db, ada.id);
  expect(organizations.map(({ organizationSlug, role }) => ({ organizationSlug, role }))).toEqual([
    { organizationSlug: acme.slug, role: 'owner' },
    { organizationSlug: globex.slug, role: 'member' },
  ]);

  expect(await updateMembershipRole(handle.db, acme.id, bob.id, 'admin')).toMatchObject({ role: 'admin' });
  expect(await findMembership(handle.db, acme.id, bob.id)).toMatchObject({ role: 'admin', email: bob.email });
  expect(await deleteMembership(handle.db, acme.id, bob.id)).toBe(true);
  expect(await deleteMembership(handle.db, acme.id, bob.id)).toBe(false);
  expect(await findMembership(handle.db, acme.id, bob.id)).toBeUndefined();
});
