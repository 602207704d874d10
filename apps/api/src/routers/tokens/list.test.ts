import { roleCeiling, type TToken } from '@tollgate/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestHarness,
  type SeededOrganization,
  type TestHarness,
} from '../../../test/helpers/harness.ts';
import { codeOf } from './test-helpers.ts';

let harness: TestHarness;
let org: SeededOrganization;
let admin: ReturnType<TestHarness['callerWithToken']>;
/** The admin's own token, which the assertions below leave out: it was inserted at the database's time. */
let callerTokenId: string;
const DAY = 86_400_000;
const ids: Record<string, string> = {};

beforeAll(async () => {
  harness = await createTestHarness();
  org = await harness.seedOrganization();
  const issued = await harness.issueToken({
    organizationId: org.id,
    subjectUserId: org.users.admin.id,
    scopes: roleCeiling('admin'),
  });
  callerTokenId = issued.id;
  admin = harness.callerWithToken(issued.token);
  // A small organisation with one token of each kind, created a millisecond apart (newest first in lists).
  const create = async (key: string, input: Parameters<typeof admin.tokens.create>[0]) => {
    harness.clock.advance(1);
    ids[key] = (await admin.tokens.create(input)).id;
  };
  await create('active', {
    name: 'Deploy bot',
    description: 'ships 100% of releases',
    scopes: ['wiki:write'],
  });
  await create('inactive', { name: 'Paused', scopes: ['wiki:read'] });
  await create('expiring', { name: 'Temporary', expiresInDays: 1, scopes: ['reviews:read'] });
  await create('revoked', { name: 'Leaked', expiresInDays: 1, scopes: ['reviews:read', 'wiki:read'] });
  await create('service', { name: 'Integration_X', type: 'service', scopes: ['repositories:read'] });
  await create('member', {
    name: 'For a member',
    subjectUserId: org.users.member.id,
    scopes: ['wiki:write'],
  });
  await admin.tokens.deactivate({ id: ids.inactive as string });
  await admin.tokens.revoke({ id: ids.revoked as string });
  // Two days on: "expiring" has expired; "revoked" had expired too but revoked wins.
  harness.clock.advance(2 * DAY);
});
afterAll(async () => {
  await harness?.close();
});

const idsOf = (page: { data: TToken[] }) =>
  page.data.map((token) => token.id).filter((id) => id !== callerTokenId);

describe('list filters', () => {
  it.each([
    ['active', ['member', 'service', 'active']],
    ['inactive', ['inactive']],
    ['expired', ['expiring']],
    ['revoked', ['revoked']],
  ] as const)('status %s, computed against the clock', async (status, keys) => {
    const page = await admin.tokens.list({ status });
    expect(idsOf(page)).toEqual(keys.map((key) => ids[key]));
    expect(page.data.every((token) => token.status === status)).toBe(true);
  });

  it('everything, newest first', async () => {
    const page = await admin.tokens.list({});
    expect(idsOf(page)).toEqual(
      ['member', 'service', 'revoked', 'expiring', 'inactive', 'active'].map((key) => ids[key]),
    );
    expect(page.nextCursor).toBeNull();
  });

  it.each([
    ['type service', { type: 'service' }, ['service']],
    ['type personal', { type: 'personal' }, ['member', 'revoked', 'expiring', 'inactive', 'active']],
    ['subject', { subjectUserId: 'member' }, ['member']],
    ['scope (literally held)', { scope: 'wiki:write' }, ['member', 'active']],
    ['scope with status', { scope: 'wiki:write', status: 'active' }, ['member', 'active']],
    ['text in the name, any case', { q: 'deploy' }, ['active']],
    ['text in the description', { q: 'releases' }, ['active']],
    ['% is a literal character', { q: '100%' }, ['active']],
    ['_ is a literal character', { q: 'n_x' }, ['service']],
    ['% alone matches only a literal %', { q: '%' }, ['active']],
    ['nothing matches', { q: 'no such token' }, []],
  ] as const)('%s', async (_label, filter, keys) => {
    const input = { ...filter } as Record<string, unknown>;
    if (input.subjectUserId === 'member') input.subjectUserId = org.users.member.id;
    const page = await admin.tokens.list(input);
    expect(idsOf(page)).toEqual(keys.map((key) => ids[key]));
  });

  it('finds a token by its displayed prefix or its exact id (what a leak report gives), not by part of an id', async () => {
    const service = await admin.tokens.get({ id: ids.service as string });
    expect(idsOf(await admin.tokens.list({ q: service.prefix }))).toEqual([ids.service]);
    expect(idsOf(await admin.tokens.list({ q: service.prefix.slice(4) }))).toEqual([ids.service]);
    expect(idsOf(await admin.tokens.list({ q: ids.member as string }))).toEqual([ids.member]);
    expect(idsOf(await admin.tokens.list({ q: (ids.member as string).slice(0, 10) }))).toEqual([]);
  });

  it('refuses unknown scopes and statuses in filters', async () => {
    expect(await codeOf(admin.tokens.list({ scope: 'wiki:admin' as never }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(admin.tokens.list({ status: 'paused' as never }))).toBe('VALIDATION_FAILED');
  });
});

describe('cursor pagination', () => {
  it('walks 45 tokens in pages of 20, 20 and 5 with no duplicates or gaps, even with equal creation times', async () => {
    const big = await harness.seedOrganization();
    const owner = harness.callerWithToken(
      (await harness.issueToken({ organizationId: big.id, type: 'service', scopes: ['tokens:write'] })).token,
    );
    const created: string[] = [];
    for (let i = 0; i < 45; i++) {
      // Pairs share a creation time, so the id tie-break is exercised too.
      if (i % 2 === 0) harness.clock.advance(1);
      created.push((await owner.tokens.create({ name: `page item ${i}`, type: 'service', scopes: [] })).id);
    }
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await owner.tokens.list({ limit: 20, q: 'page item', ...(cursor ? { cursor } : {}) });
      sizes.push(page.data.length);
      seen.push(...idsOf(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([20, 20, 5]);
    expect(new Set(seen).size).toBe(45);
    expect(new Set(seen)).toEqual(new Set(created));
  });

  it('also pages tokens whose creation time has sub-millisecond precision (written by the database)', async () => {
    const other = await harness.seedOrganization();
    const owner = harness.callerWithToken(
      (await harness.issueToken({ organizationId: other.id, type: 'service', scopes: ['tokens:read'] }))
        .token,
    );
    // issueToken leaves created_at to the database's now(), in microseconds.
    for (let i = 0; i < 7; i++)
      await harness.issueToken({ organizationId: other.id, type: 'service', scopes: [] });
    // …plus the caller's own service token: 8 in all.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await owner.tokens.list({ limit: 2, type: 'service', ...(cursor ? { cursor } : {}) });
      seen.push(...idsOf(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
  });

  it('refuses a cursor it did not make', async () => {
    expect(await codeOf(admin.tokens.list({ cursor: 'not-a-cursor' }))).toBe('VALIDATION_FAILED');
    const forged = Buffer.from(JSON.stringify(['1; drop table tokens', 'x'])).toString('base64url');
    expect(await codeOf(admin.tokens.list({ cursor: forged }))).toBe('VALIDATION_FAILED');
  });

  it('limit is 1 to 100', async () => {
    expect(await codeOf(admin.tokens.list({ limit: 0 }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(admin.tokens.list({ limit: 101 }))).toBe('VALIDATION_FAILED');
    const one = await admin.tokens.list({ limit: 1 });
    expect(one.data).toHaveLength(1);
    expect(one.nextCursor).not.toBeNull();
  });
});

describe('sorting and the total', () => {
  let sorted: SeededOrganization;
  let owner: ReturnType<TestHarness['callerWithToken']>;
  let ownerTokenId: string;
  const created: string[] = [];

  beforeAll(async () => {
    sorted = await harness.seedOrganization();
    const issued = await harness.issueToken({
      organizationId: sorted.id,
      type: 'service',
      scopes: ['tokens:write'],
    });
    ownerTokenId = issued.id;
    owner = harness.callerWithToken(issued.token);
    // Names, expiries and last uses with ties and gaps (null), so every sort needs its id tie-break and its
    // nulls-last rule; lower-case ASCII names sort alike in every collation.
    const names = ['delta', 'alpha', 'charlie', 'alpha', 'echo', 'bravo', 'charlie', 'alpha', 'foxtrot'];
    const expiries = [3, undefined, 1, 3, undefined, 2, 1, undefined, 5];
    const lastUses = [2, null, 5, 2, null, 7, 1, 2, null];
    for (const [i, name] of names.entries()) {
      if (i % 3 !== 0) harness.clock.advance(1);
      const expiresInDays = expiries[i];
      const token = await owner.tokens.create({
        name,
        type: 'service',
        scopes: [],
        ...(expiresInDays === undefined ? {} : { expiresInDays }),
      });
      created.push(token.id);
      const minutes = lastUses[i];
      if (minutes !== null && minutes !== undefined) {
        await harness.services.db
          .updateTable('tokens')
          .set({ lastUsedAt: new Date(Date.UTC(2026, 0, 1, 0, minutes)) })
          .where('id', '=', token.id)
          .execute();
      }
    }
  });

  const keyOf = (token: TToken, sort: 'createdAt' | 'name' | 'lastUsedAt' | 'expiresAt') =>
    sort === 'name' ? token.name : token[sort];

  it.each(
    (['createdAt', 'name', 'lastUsedAt', 'expiresAt'] as const).flatMap((sort) =>
      (['asc', 'desc'] as const).map((order) => [sort, order] as const),
    ),
  )('sort %s %s pages through every token exactly once, in order', async (sort, order) => {
    const walked: TToken[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await owner.tokens.list({
        sort,
        order,
        limit: 2,
        type: 'service',
        ...(cursor ? { cursor } : {}),
      });
      expect(page.total).toBe(10);
      sizes.push(page.data.length);
      walked.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([2, 2, 2, 2, 2]);
    const ids = walked.map((token) => token.id);
    expect(new Set(ids).size).toBe(10);
    expect(new Set(ids)).toEqual(new Set([...created, ownerTokenId]));
    // The same order as one page of everything…
    const whole = await owner.tokens.list({ sort, order, limit: 100 });
    expect(ids).toEqual(whole.data.map((token) => token.id));
    // …which is ordered by the key, those without one last.
    const keys = walked.map((token) => keyOf(token, sort));
    const present = keys.filter((key): key is string => key !== null);
    expect(keys.slice(present.length).every((key) => key === null)).toBe(true);
    const expected = [...present].sort();
    expect(present).toEqual(order === 'asc' ? expected : expected.reverse());
  });

  it('the default is createdAt desc, as before', async () => {
    const plain = await owner.tokens.list({ limit: 100 });
    const explicit = await owner.tokens.list({
      sort: 'createdAt',
      order: 'desc',
      limit: 100,
    });
    expect(plain.data.map((token) => token.id)).toEqual(explicit.data.map((token) => token.id));
    const times = plain.data.map((token) => token.createdAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it.each([
    ['no filter, a small page', { limit: 1 }, 10],
    ['a name', { q: 'alpha' }, 3],
    ['a name and a page of 1', { q: 'charlie', limit: 1 }, 2],
    ['nothing matches', { q: 'zulu' }, 0],
    ['status expired (none yet)', { status: 'expired' }, 0],
  ] as const)('total counts every match, not the page: %s', async (_label, filter, total) => {
    const page = await owner.tokens.list(filter);
    expect(page.total).toBe(total);
    expect(page.data.length).toBe(Math.min(total, 'limit' in filter ? filter.limit : 20));
  });

  it('total follows the clock and the filters together (expired, sorted)', async () => {
    harness.clock.advance(DAY + 60_000);
    const expired = await owner.tokens.list({
      status: 'expired',
      sort: 'name',
      order: 'asc',
    });
    expect(expired.total).toBe(2);
    expect(expired.data.map((token) => token.name)).toEqual(['charlie', 'charlie']);
  });

  it('a member sees the total of their own tokens only', async () => {
    const member = harness.callerWithToken(
      (
        await harness.issueToken({
          organizationId: org.id,
          subjectUserId: org.users.member.id,
          scopes: ['tokens:read'],
        })
      ).token,
    );
    const page = await member.tokens.list({});
    expect(page.total).toBe(page.data.length);
    expect(page.data.every((token) => token.subjectUserId === org.users.member.id)).toBe(true);
    expect((await member.tokens.list({ type: 'service' })).total).toBe(0);
  });

  it('refuses a sort or order it does not know, and a cursor made for another sort or order', async () => {
    expect(await codeOf(owner.tokens.list({ sort: 'prefix' as never }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(owner.tokens.list({ order: 'up' as never }))).toBe('VALIDATION_FAILED');
    const byName = await owner.tokens.list({
      sort: 'name',
      order: 'asc',
      limit: 2,
    });
    const cursor = byName.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    expect(await codeOf(owner.tokens.list({ sort: 'name', order: 'desc', cursor }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(await codeOf(owner.tokens.list({ sort: 'createdAt', cursor }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(owner.tokens.list({ cursor }))).toBe('VALIDATION_FAILED');
    expect(
      (
        await owner.tokens.list({
          sort: 'name',
          order: 'asc',
          limit: 2,
          cursor,
        })
      ).data,
    ).toHaveLength(2);
  });
});
