import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMember, createOrganization, createToken, randomHash } from '../test-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../testing.ts';
import { deleteMembership } from './memberships.ts';
import { findTokenForVerification, recordTokenUsage, type TokenUsageEntry } from './tokens.ts';

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

describe('findTokenForVerification', () => {
  test('finds a personal token by its hash, with its subject’s current role', async () => {
    const organization = await createOrganization(handle.db);
    const user = await createMember(handle.db, organization.id, 'admin');
    const token = await createToken(handle.db, organization.id, { type: 'personal', subjectUserId: user.id });

    expect(await findTokenForVerification(handle.db, token.hash)).toEqual({
      ...token,
      subjectRole: 'admin',
      organizationTier: organization.tier,
      organizationCustomRateLimitPerMinute: null,
      organizationCustomRateLimitPerHour: null,
      organizationPolicy: organization.policy,
    });

    await deleteMembership(handle.db, organization.id, user.id);
    expect(await findTokenForVerification(handle.db, token.hash)).toMatchObject({
      id: token.id,
      subjectRole: null,
    });
  });

  test('a service token has no subject role', async () => {
    const organization = await createOrganization(handle.db);
    const token = await createToken(handle.db, organization.id);
    expect(await findTokenForVerification(handle.db, token.hash)).toMatchObject({
      id: token.id,
      subjectRole: null,
    });
  });

  test('finds a rotated token by its previous hash, whatever its grace period (the caller judges it)', async () => {
    const organization = await createOrganization(handle.db);
    const previousHash = randomHash();
    const token = await createToken(handle.db, organization.id, {
      previousHash,
      previousHashExpiresAt: new Date(Date.now() - 60_000),
    });
    expect(await findTokenForVerification(handle.db, previousHash)).toMatchObject({
      id: token.id,
      hash: token.hash,
      previousHashExpiresAt: token.previousHashExpiresAt,
    });
    expect(await findTokenForVerification(handle.db, token.hash)).toMatchObject({ id: token.id });
  });

  test('an unknown hash finds nothing', async () => {
    expect(await findTokenForVerification(handle.db, randomHash())).toBeUndefined();
  });
});

describe('recordTokenUsage', () => {
  async function usageOf(tokenId: string) {
    return handle.db
      .selectFrom('tokenUsageDaily')
      .select(['day', 'requestCount'])
      .where('tokenId', '=', tokenId)
      .orderBy('day')
      .execute();
  }

  async function lastUse(tokenId: string) {
    return handle.db
      .selectFrom('tokens')
      .select(['lastUsedAt', 'lastUsedIp'])
      .where('id', '=', tokenId)
      .executeTakeFirstOrThrow();
  }

  test('counts add up across flushes; last use only moves forward', async () => {
    const organization = await createOrganization(handle.db);
    const a = await createToken(handle.db, organization.id);
    const b = await createToken(handle.db, organization.id);
    const at = (iso: string) => new Date(iso);
    const use = (token: { id: string }, day: string, count: number, time: string, ip: string | null) =>
      ({
        tokenId: token.id,
        organizationId: organization.id,
        day,
        count,
        lastUsedAt: at(time),
        lastUsedIp: ip,
      }) satisfies TokenUsageEntry;

    await recordTokenUsage(handle.db, [
      use(a, '2026-11-22', 3, '2026-11-22T23:59:00Z', '10.0.0.1'),
      use(a, '2026-11-23', 2, '2026-11-23T08:00:00Z', '10.0.0.2'),
      use(a, '2026-11-23', 1, '2026-11-23T07:00:00Z', '10.0.0.3'), // same token and day, in one batch
      use(b, '2026-11-23', 5, '2026-11-23T09:00:00Z', null),
    ]);
    await recordTokenUsage(handle.db, [
      use(a, '2026-11-23', 4, '2026-11-23T07:30:00Z', '10.0.0.4'), // older than what is stored
      use(b, '2026-11-23', 1, '2026-11-23T10:00:00Z', '2001:db8::1'),
    ]);

    expect(await usageOf(a.id)).toEqual([
      { day: '2026-11-22', requestCount: 3 },
      { day: '2026-11-23', requestCount: 7 },
    ]);
    expect(await usageOf(b.id)).toEqual([{ day: '2026-11-23', requestCount: 6 }]);
    expect(await lastUse(a.id)).toEqual({ lastUsedAt: at('2026-11-23T08:00:00Z'), lastUsedIp: '10.0.0.2' });
    expect(await lastUse(b.id)).toEqual({
      lastUsedAt: at('2026-11-23T10:00:00Z'),
      lastUsedIp: '2001:db8::1',
    });
  });

  test('usage of a token deleted meanwhile is dropped without losing the rest of the batch', async () => {
    const organization = await createOrganization(handle.db);
    const kept = await createToken(handle.db, organization.id);
    const lastUsedAt = new Date();
    await recordTokenUsage(handle.db, [
      {
        tokenId: 'tok_deleted',
        organizationId: organization.id,
        day: '2026-11-23',
        count: 1,
        lastUsedAt,
        lastUsedIp: null,
      },
      {
        tokenId: kept.id,
        organizationId: organization.id,
        day: '2026-11-23',
        count: 2,
        lastUsedAt,
        lastUsedIp: null,
      },
    ]);
    expect(await usageOf(kept.id)).toEqual([{ day: '2026-11-23', requestCount: 2 }]);
  });

  test("takes part in the caller's transaction", async () => {
    const organization = await createOrganization(handle.db);
    const token = await createToken(handle.db, organization.id);
    const entry = {
      tokenId: token.id,
      organizationId: organization.id,
      day: '2026-11-23',
      count: 1,
      lastUsedAt: new Date(),
      lastUsedIp: null,
    };
    await expect(
      handle.db.transaction().execute(async (tx) => {
        await recordTokenUsage(tx, [entry]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await usageOf(token.id)).toEqual([]);
    await recordTokenUsage(handle.db, []);
    expect(await usageOf(token.id)).toEqual([]);
  });
});
