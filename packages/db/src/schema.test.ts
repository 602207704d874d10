import { REVIEW_STATUSES, ROLES, TIER_NAMES, TOKEN_KINDS } from '@tollgate/domain';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Executor,
  insertAuditLog,
  insertRepository,
  insertReview,
  jsonb,
  updateMembershipRole,
  updateOrganization,
} from './index.ts';
import {
  createMember,
  createOrganization,
  createToken,
  createUser,
  randomHash,
  randomId,
} from './test-fixtures.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

/**
 * The tables are typed with the domain's unions (Tier, Role, TokenKind, ReviewStatus): the CHECK constraints
 * of the migrations must admit exactly those values, or the types would lie. Each writer stores one value.
 */
describe.each<{
  column: string;
  values: readonly string[];
  write: (db: Executor, value: string) => Promise<unknown>;
}>([
  {
    column: 'organizations.tier',
    values: TIER_NAMES,
    write: async (db, value) => {
      const organization = await createOrganization(db);
      return updateOrganization(db, organization.id, { tier: value as never });
    },
  },
  {
    column: 'memberships.role',
    values: ROLES,
    write: async (db, value) => {
      const organization = await createOrganization(db);
      const user = await createMember(db, organization.id);
      return updateMembershipRole(db, organization.id, user.id, value as never);
    },
  },
  {
    column: 'tokens.type',
    values: TOKEN_KINDS,
    write: async (db, value) => {
      const organization = await createOrganization(db);
      const user = await createMember(db, organization.id);
      const subjectUserId = value === 'personal' ? user.id : null;
      return createToken(db, organization.id, { type: value as never, subjectUserId });
    },
  },
  {
    column: 'reviews.status',
    values: REVIEW_STATUSES,
    write: async (db, value) => {
      const organization = await createOrganization(db);
      const repository = await insertRepository(db, {
        id: randomId('repo'),
        organizationId: organization.id,
        name: randomId('r'),
        url: null,
      });
      return insertReview(db, {
        id: randomId('rev'),
        organizationId: organization.id,
        repositoryId: repository.id,
        pullRequest: null,
        title: 'Check',
        status: value as never,
        createdByActorId: null,
        completedAt: null,
      });
    },
  },
])('$column admits exactly the domain values', ({ values, write }) => {
  test.each(values)('%s', async (value) => {
    await expect(write(handle.db, value)).resolves.toBeDefined();
  });
  test('and nothing else', async () => {
    await expect(write(handle.db, 'bogus')).rejects.toMatchObject({ code: '23514' });
  });
});

describe('constraints', () => {
  test('two tokens cannot share a hash', async () => {
    const organization = await createOrganization(handle.db);
    const hash = randomHash();
    await createToken(handle.db, organization.id, { hash });
    await expect(createToken(handle.db, organization.id, { hash })).rejects.toMatchObject({
      code: '23505',
      constraint: 'tokens_hash_key',
    });
  });

  test('a personal token needs a subject, and a service token has none', async () => {
    const organization = await createOrganization(handle.db);
    const user = await createMember(handle.db, organization.id);
    const refused = { code: '23514', constraint: 'tokens_personal_subject_check' };
    await expect(createToken(handle.db, organization.id, { type: 'personal' })).rejects.toMatchObject(
      refused,
    );
    await expect(
      createToken(handle.db, organization.id, { type: 'service', subjectUserId: user.id }),
    ).rejects.toMatchObject(refused);
    await expect(
      createToken(handle.db, organization.id, { type: 'personal', subjectUserId: user.id }),
    ).resolves.toMatchObject({ subjectUserId: user.id });
  });

  test('token names are 1 to 100 characters', async () => {
    const organization = await createOrganization(handle.db);
    await expect(createToken(handle.db, organization.id, { name: '' })).rejects.toMatchObject({
      code: '23514',
    });
    await expect(createToken(handle.db, organization.id, { name: 'x'.repeat(101) })).rejects.toMatchObject({
      code: '23514',
    });
  });

  test('audit log entries cannot be updated, deleted or truncated', async () => {
    const entry = await insertAuditLog(handle.db, {
      id: randomId('aud'),
      organizationId: null,
      actorType: 'system',
      action: 'token.created',
    });
    const refused = { code: '42501', message: expect.stringContaining('append-only') };
    await expect(
      sql`update audit_logs set action = 'forged' where id = ${entry.id}`.execute(handle.db),
    ).rejects.toMatchObject(refused);
    await expect(sql`delete from audit_logs where id = ${entry.id}`.execute(handle.db)).rejects.toMatchObject(
      refused,
    );
    await expect(sql`truncate audit_logs`.execute(handle.db)).rejects.toMatchObject(refused);
    const kept = await handle.db
      .selectFrom('auditLogs')
      .select('action')
      .where('id', '=', entry.id)
      .execute();
    expect(kept).toEqual([{ action: 'token.created' }]);
  });

  test('the credit balance cannot go negative', async () => {
    const organization = await createOrganization(handle.db);
    await handle.db
      .updateTable('organizations')
      .set({ creditBalance: 5 })
      .where('id', '=', organization.id)
      .execute();
    const debit = (amount: number) =>
      handle.db
        .updateTable('organizations')
        .set((eb) => ({ creditBalance: eb('creditBalance', '-', amount) }))
        .where('id', '=', organization.id)
        .execute();
    await expect(debit(6)).rejects.toMatchObject({
      code: '23514',
      constraint: 'organizations_credit_balance_check',
    });
    await debit(5);
    const { creditBalance } = await handle.db
      .selectFrom('organizations')
      .select('creditBalance')
      .where('id', '=', organization.id)
      .executeTakeFirstOrThrow();
    expect(creditBalance).toBe(0);
  });

  test('emails are unique whatever their case', async () => {
    const email = `${randomId('ada')}@Example.com`;
    await createUser(handle.db, email);
    await expect(createUser(handle.db, email.toUpperCase())).rejects.toMatchObject({
      code: '23505',
      constraint: 'users_email_lower_key',
    });
  });

  test('organisation slugs are lower-case', async () => {
    await expect(
      handle.db
        .insertInto('organizations')
        .values({ id: randomId('org'), name: 'Acme', slug: 'Acme' })
        .execute(),
    ).rejects.toMatchObject({ code: '23514', constraint: 'organizations_slug_check' });
  });

  test("a review cannot point at another organisation's repository", async () => {
    const mine = await createOrganization(handle.db);
    const theirs = await createOrganization(handle.db);
    const repository = await handle.db
      .insertInto('repositories')
      .values({ id: randomId('repo'), organizationId: theirs.id, name: 'api' })
      .returningAll()
      .executeTakeFirstOrThrow();
    await expect(
      handle.db
        .insertInto('reviews')
        .values({ id: randomId('rev'), organizationId: mine.id, repositoryId: repository.id, title: 'Fix' })
        .execute(),
    ).rejects.toMatchObject({ code: '23503' });
  });
});

describe('types', () => {
  test('bigint is a number, date a YYYY-MM-DD string, timestamptz a Date', async () => {
    const organization = await createOrganization(handle.db);
    const token = await createToken(handle.db, organization.id);
    await handle.db
      .insertInto('tokenUsageDaily')
      .values({
        tokenId: token.id,
        organizationId: organization.id,
        day: '2026-11-23',
        requestCount: 2 ** 40,
      })
      .execute();
    const row = await handle.db
      .selectFrom('tokenUsageDaily')
      .selectAll()
      .where('tokenId', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      tokenId: token.id,
      organizationId: organization.id,
      day: '2026-11-23',
      requestCount: 2 ** 40,
    });
    expect(organization.creditBalance).toBe(0);
    expect(organization.createdAt).toBeInstanceOf(Date);
    const { count } = await handle.db
      .selectFrom('tokens')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    expect(typeof count).toBe('number');
  });

  test('jsonb keeps arrays and nested keys exactly as written', async () => {
    const organization = await createOrganization(handle.db);
    const repository = await handle.db
      .insertInto('repositories')
      .values({ id: randomId('repo'), organizationId: organization.id, name: 'web' })
      .returningAll()
      .executeTakeFirstOrThrow();
    const findings = [{ file_path: 'src/a.ts', line: 3 }, 'note'];
    const review = await handle.db
      .insertInto('reviews')
      .values({
        id: randomId('rev'),
        organizationId: organization.id,
        repositoryId: repository.id,
        title: 'Refactor',
        findings: jsonb(findings),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    expect(review.findings).toEqual(findings);
    expect(repository.reviewSettings).toEqual({});
  });
});
