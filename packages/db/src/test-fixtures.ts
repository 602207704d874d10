/** Row factories for this package's tests (ids are random; the real prefixed ids come from packages/domain). */
import { randomBytes } from 'node:crypto';
import type { MembershipRole, NewToken, OrganizationRow, TokenRow, UserRow } from './index.ts';
import { insertMembership, insertOrganization, insertToken, insertUser } from './index.ts';
import type { Executor } from './repositories/executor.ts';

export function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

export function randomHash(): string {
  return randomBytes(32).toString('hex');
}

export async function createOrganization(db: Executor): Promise<OrganizationRow> {
  const id = randomId('org');
  return insertOrganization(db, { id, name: 'Acme', slug: `acme-${id.slice(4)}` });
}

export async function createUser(db: Executor, email = `${randomId('user')}@example.com`): Promise<UserRow> {
  return insertUser(db, { id: randomId('usr'), email, name: 'Ada', passwordHash: 'scrypt$…' });
}

export async function createMember(
  db: Executor,
  organizationId: string,
  role: MembershipRole = 'member',
): Promise<UserRow> {
  const user = await createUser(db);
  await insertMembership(db, { organizationId, userId: user.id, role });
  return user;
}

export async function createToken(
  db: Executor,
  organizationId: string,
  overrides: Partial<NewToken> = {},
): Promise<TokenRow> {
  return insertToken(db, {
    id: randomId('tok'),
    organizationId,
    type: 'service',
    name: 'CI',
    scopes: ['repositories:read'],
    prefix: 'tgs_abcdefgh',
    hash: randomHash(),
    ...overrides,
  });
}
