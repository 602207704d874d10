import { MAX_CREDIT_PURCHASE, REVIEW_CREDIT_COST } from '@tollgate/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHarness, type TestHarness } from '../../../test/helpers/harness.ts';
import { purchaseCredits } from '../../core/billing.ts';
import { createRepository } from '../../core/repositories.ts';
import { triggerReview } from '../../core/reviews.ts';
import { callerAs, codeOf } from '../tokens/test-helpers.ts';

const DAY = 86_400_000;

let harness: TestHarness;

beforeAll(async () => {
  harness = await createTestHarness();
});
afterAll(async () => {
  await harness?.close();
});

async function setUp() {
  const org = await harness.seedOrganization();
  return {
    org,
    owner: await callerAs(harness, org, 'owner'),
    admin: await callerAs(harness, org, 'admin'),
    member: await callerAs(harness, org, 'member'),
    viewer: await callerAs(harness, org, 'viewer'),
  };
}

describe('billing.purchase and billing.credits', () => {
  it('adds purchased credits with a ledger entry and a credits.purchased audit entry', async () => {
    const { org, owner, member } = await setUp();
    const purchase = await owner.billing.purchase({ amount: 250 });
    expect(purchase).toEqual({
      balance: 250,
      entry: {
        id: expect.stringMatching(/^crd_/),
        amount: 250,
        reason: 'purchase',
        referenceId: null,
        actorId: expect.stringMatching(/^tok_/),
        createdAt: harness.clock.now().toISOString(),
      },
    });
    await expect(member.billing.credits()).resolves.toEqual({
      balance: 250,
      data: [purchase.entry],
      nextCursor: null,
    });
    const audit = await harness.services.db
      .selectFrom('auditLogs')
      .selectAll()
      .where('organizationId', '=', org.id)
      .where('action', '=', 'credits.purchased')
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({
        actorUserId: org.users.owner.id,
        targetId: purchase.entry.id,
        detail: { amount: 250, balanceAfter: 250 },
      }),
    ]);
  });

  it('shows the ledger newest first, page by page, with debits for reviews', async () => {
    const { owner, member } = await setUp();
    const repository = await owner.repositories.create({ name: 'acme/web' });
    await owner.billing.purchase({ amount: 10 });
    const reviews: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      harness.clock.advance(1_000);
      reviews.push((await member.reviews.trigger({ repositoryId: repository.id, title: `R${index}` })).id);
    }
    const entries: { amount: number; referenceId: string | null }[] = [];
    let cursor: string | undefined;
    do {
      const page = await member.billing.credits({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.balance).toBe(10 - 3 * REVIEW_CREDIT_COST);
      entries.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(entries.map((entry) => [entry.amount, entry.referenceId])).toEqual([
      [-REVIEW_CREDIT_COST, reviews[2]],
      [-REVIEW_CREDIT_COST, reviews[1]],
      [-REVIEW_CREDIT_COST, reviews[0]],
      [10, null],
    ]);
  });

  it.each([
    ['0', { amount: 0 }],
    ['a negative amount', { amount: -5 }],
    ['more than the maximum', { amount: MAX_CREDIT_PURCHASE + 1 }],
    ['a fraction', { amount: 1.5 }],
    ['a string', { amount: '10' }],
    ['nothing', {}],
  ])('refuses to purchase %s with VALIDATION_FAILED and changes nothing', async (_label, input) => {
    const { owner } = await setUp();
    // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
    expect(await codeOf(owner.billing.purchase(input as any))).toBe('VALIDATION_FAILED');
    expect((await owner.billing.credits()).balance).toBe(0);
  });

  it('accepts the maximum purchase', async () => {
    const { owner } = await setUp();
    await expect(owner.billing.purchase({ amount: MAX_CREDIT_PURCHASE })).resolves.toMatchObject({
      balance: MAX_CREDIT_PURCHASE,
    });
  });

  it.each([
    ['an admin purchase (no billing:write)', 'admin', 'purchase', 'INSUFFICIENT_SCOPE'],
    ['a member purchase', 'member', 'purchase', 'INSUFFICIENT_SCOPE'],
    ['a member reading credits', 'member', 'credits', 'OK'],
    ['a viewer reading credits (no billing:read)', 'viewer', 'credits', 'INSUFFICIENT_SCOPE'],
    ['a viewer reading usage', 'viewer', 'usage', 'INSUFFICIENT_SCOPE'],
  ] as const)('%s → %s', async (_label, role, procedure, expected) => {
    const callers = await setUp();
    const caller = callers[role];
    const call =
      procedure === 'purchase'
        ? caller.billing.purchase({ amount: 1 })
        : procedure === 'credits'
          ? caller.billing.credits()
          : caller.billing.usage();
    expect(await codeOf(call)).toBe(expected);
  });

  it('shows each organisation only its own balance and ledger', async () => {
    const mine = await setUp();
    const theirs = await setUp();
    await theirs.owner.billing.purchase({ amount: 77 });
    await expect(mine.owner.billing.credits()).resolves.toEqual({ balance: 0, data: [], nextCursor: null });
  });
});

describe('billing.usage', () => {
  it('gives credits and API requests per UTC day for the last N days, with zeros for quiet days', async () => {
    const { org, member } = await setUp();
    const neighbour = await setUp();
    const today = Date.parse('2026-03-10T00:00:00.000Z');
    const at = (days: number, ms = 12 * 3_600_000) => new Date(today - days * DAY + ms);
    const { id: tokenId } = await harness.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['wiki:read'],
    });
    const { id: neighbourToken } = await harness.issueToken({
      organizationId: neighbour.org.id,
      type: 'service',
      scopes: ['wiki:read'],
    });

    // Set up as Tollgate itself, so that the only API requests are the ones recorded below.
    const system = { kind: 'system', organizationId: org.id } as const;
    harness.clock.set(at(2));
    await purchaseCredits(harness.services, system, { amount: 20 });
    const repository = await createRepository(harness.services, system, {
      name: 'acme/usage',
      defaultBranch: 'main',
      reviewSettings: { autoReview: true, minSeverity: 'info', ignorePaths: [] },
    });
    const trigger = (title: string) =>
      triggerReview(harness.services, system, { repositoryId: repository.id, title });
    // The last millisecond of a day still counts for that day.
    harness.clock.set(at(1, DAY - 1));
    await trigger('Yesterday, late');
    harness.clock.set(at(0, 1));
    await trigger('Today, early');
    await trigger('Today, again');

    const usage = harness.services.usage;
    for (let count = 0; count < 3; count += 1) usage.record(tokenId, org.id, '127.0.0.1', at(0));
    usage.record(tokenId, org.id, '127.0.0.1', at(1));
    for (let count = 0; count < 4; count += 1) usage.record(tokenId, org.id, '127.0.0.1', at(40));
    usage.record(neighbourToken, neighbour.org.id, '127.0.0.1', at(0));
    await usage.flush();

    const month = await member.billing.usage();
    expect(month.data).toHaveLength(30);
    expect(month.data[0]?.date).toBe('2026-02-09');
    expect(month.data.slice(-3)).toEqual([
      { date: '2026-03-08', creditsDebited: 0, creditsAdded: 20, apiRequests: 0 },
      { date: '2026-03-09', creditsDebited: REVIEW_CREDIT_COST, creditsAdded: 0, apiRequests: 1 },
      { date: '2026-03-10', creditsDebited: 2 * REVIEW_CREDIT_COST, creditsAdded: 0, apiRequests: 3 },
    ]);
    expect(month.data.slice(0, -3).every((day) => day.apiRequests === 0 && day.creditsDebited === 0)).toBe(
      true,
    );
    expect(month.totals).toEqual({
      creditsDebited: 3 * REVIEW_CREDIT_COST,
      creditsAdded: 20,
      apiRequests: 4,
    });

    const quarter = await member.billing.usage({ days: 90 });
    expect(quarter.data).toHaveLength(90);
    expect(quarter.data.find((day) => day.date === '2026-01-29')).toMatchObject({ apiRequests: 4 });
    expect(quarter.totals.apiRequests).toBe(8);

    const todayOnly = await member.billing.usage({ days: 1 });
    expect(todayOnly.data).toEqual([
      { date: '2026-03-10', creditsDebited: 2 * REVIEW_CREDIT_COST, creditsAdded: 0, apiRequests: 3 },
    ]);
  });

  it.each([
    ['0 days', { days: 0 }],
    ['91 days', { days: 91 }],
    ['a fraction of a day', { days: 1.5 }],
  ])('refuses %s with VALIDATION_FAILED', async (_label, input) => {
    const { member } = await setUp();
    expect(await codeOf(member.billing.usage(input))).toBe('VALIDATION_FAILED');
  });
});
