import type { TReviewStatus } from '@tollgate/domain';
import { REVIEW_CREDIT_COST } from '@tollgate/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHarness, type TestHarness } from '../../../test/helpers/harness.ts';
import { callerAs, codeOf, failureOf } from '../tokens/test-helpers.ts';

let harness: TestHarness;

beforeAll(async () => {
  harness = await createTestHarness();
});
afterAll(async () => {
  await harness?.close();
});

async function setBalance(organizationId: string, balance: number) {
  await harness.services.db
    .updateTable('organizations')
    .set({ creditBalance: balance })
    .where('id', '=', organizationId)
    .execute();
}

async function balanceOf(organizationId: string): Promise<number> {
  const row = await harness.services.db
    .selectFrom('organizations')
    .select('creditBalance')
    .where('id', '=', organizationId)
    .executeTakeFirstOrThrow();
  return Number(row.creditBalance);
}

async function ledgerOf(organizationId: string) {
  return harness.services.db
    .selectFrom('creditLedger')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .execute();
}

/** An organisation with one repository, a member (reviews:write) and a viewer (reviews:read), and credits. */
async function setUp(credits = 100) {
  const org = await harness.seedOrganization();
  const admin = await callerAs(harness, org, 'admin');
  const member = await callerAs(harness, org, 'member');
  const viewer = await callerAs(harness, org, 'viewer');
  const repository = await admin.repositories.create({ name: 'acme/web' });
  await setBalance(org.id, credits);
  return { org, admin, member, viewer, repository };
}

describe('reviews.trigger', () => {
  it('queues a review, debits its cost, and writes the ledger and audit entries', async () => {
    const { org, member, repository } = await setUp(10);
    const review = await member.reviews.trigger({
      repositoryId: repository.id,
      pullRequest: 42,
      title: 'Add login page',
    });
    const now = harness.clock.now().toISOString();
    expect(review).toEqual({
      id: expect.stringMatching(/^rev_/),
      repositoryId: repository.id,
      pullRequest: 42,
      title: 'Add login page',
      status: 'queued',
      findings: [],
      creditsCharged: REVIEW_CREDIT_COST,
      createdBy: expect.stringMatching(/^tok_/),
      createdAt: now,
      updatedAt: now,
      completedAt: null,
    });
    expect(await balanceOf(org.id)).toBe(10 - REVIEW_CREDIT_COST);
    expect(await ledgerOf(org.id)).toEqual([
      expect.objectContaining({ amount: -REVIEW_CREDIT_COST, reason: 'review', referenceId: review.id }),
    ]);
    const audit = await harness.services.db
      .selectFrom('auditLogs')
      .selectAll()
      .where('targetId', '=', review.id)
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({
        organizationId: org.id,
        action: 'review.triggered',
        actorUserId: org.users.member.id,
        detail: expect.objectContaining({ creditsCharged: REVIEW_CREDIT_COST, balanceAfter: 9 }),
      }),
    ]);
  });

  it('refuses with INSUFFICIENT_CREDITS (402) when the balance is too low, and writes nothing', async () => {
    const { org, member, repository } = await setUp(REVIEW_CREDIT_COST - 1);
    const failure = await failureOf(
      member.reviews.trigger({ repositoryId: repository.id, title: 'Too poor' }),
    );
    expect(failure.code).toBe('INSUFFICIENT_CREDITS');
    expect(failure.status).toBe(402);
    expect(failure.message).toMatch(/costs \d+ credits? and the organisation has 0/);
    expect(await balanceOf(org.id)).toBe(REVIEW_CREDIT_COST - 1);
    expect(await ledgerOf(org.id)).toEqual([]);
    expect((await member.reviews.list()).data).toEqual([]);
  });

  it('with 20 concurrent triggers and credit for 5, exactly 5 succeed and the balance ends at 0', async () => {
    const { org, member, repository } = await setUp(5 * REVIEW_CREDIT_COST);
    const codes = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        codeOf(member.reviews.trigger({ repositoryId: repository.id, title: `Concurrent ${index}` })),
      ),
    );
    expect(codes.filter((code) => code === 'OK')).toHaveLength(5);
    expect(codes.filter((code) => code === 'INSUFFICIENT_CREDITS')).toHaveLength(15);
    expect(await balanceOf(org.id)).toBe(0);
    const ledger = await ledgerOf(org.id);
    expect(ledger).toHaveLength(5);
    expect(ledger.reduce((sum, entry) => sum + entry.amount, 0)).toBe(-5 * REVIEW_CREDIT_COST);
    expect((await member.reviews.stats()).total).toBe(5);
  });

  it.each([
    ['no title', { title: '' }],
    ['a title over 200 characters', { title: 'x'.repeat(201) }],
    ['pull request 0', { pullRequest: 0 }],
    ['a fractional pull request', { pullRequest: 1.5 }],
  ])('refuses %s with VALIDATION_FAILED', async (_label, patch) => {
    const { member, repository } = await setUp();
    expect(
      await codeOf(member.reviews.trigger({ repositoryId: repository.id, title: 'Fine', ...patch })),
    ).toBe('VALIDATION_FAILED');
  });

  it('refuses another organisation’s repository with NOT_FOUND and debits nothing', async () => {
    const mine = await setUp(3);
    const theirs = await setUp(3);
    expect(
      await codeOf(mine.member.reviews.trigger({ repositoryId: theirs.repository.id, title: 'Sneaky' })),
    ).toBe('NOT_FOUND');
    expect(await balanceOf(mine.org.id)).toBe(3);
    expect(await balanceOf(theirs.org.id)).toBe(3);
  });

  it('is refused to a viewer (reviews:read only)', async () => {
    const { viewer, repository } = await setUp();
    expect(await codeOf(viewer.reviews.trigger({ repositoryId: repository.id, title: 'No' }))).toBe(
      'INSUFFICIENT_SCOPE',
    );
  });
});

describe('reviews.update: status transitions', () => {
  const ALL: TReviewStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled'];
  const ALLOWED: Record<TReviewStatus, TReviewStatus[]> = {
    queued: ['running', 'cancelled'],
    running: ['completed', 'failed', 'cancelled'],
    completed: [],
    failed: [],
    cancelled: [],
  };
  /** How to bring a fresh review to each status through the API. */
  const PATH: Record<TReviewStatus, TReviewStatus[]> = {
    queued: [],
    running: ['running'],
    completed: ['running', 'completed'],
    failed: ['running', 'failed'],
    cancelled: ['cancelled'],
  };
  const cases = ALL.flatMap((from) =>
    ALL.filter((to) => to !== from).map((to) => [from, to, ALLOWED[from].includes(to)] as const),
  );

  let env: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    env = await setUp(1000);
  });

  it.each(cases)('%s → %s allowed: %s', async (from, to, allowed) => {
    const review = await env.member.reviews.trigger({
      repositoryId: env.repository.id,
      title: `${from}→${to}`,
    });
    for (const step of PATH[from]) await env.member.reviews.update({ id: review.id, status: step });
    harness.clock.advance(1_000);
    const result = env.member.reviews.update({ id: review.id, status: to });
    if (!allowed) {
      expect(await codeOf(result)).toBe('CONFLICT');
      await expect(env.member.reviews.get({ id: review.id })).resolves.toMatchObject({ status: from });
      return;
    }
    const updated = await result;
    const final = ['completed', 'failed', 'cancelled'].includes(to);
    expect(updated).toMatchObject({
      status: to,
      updatedAt: harness.clock.now().toISOString(),
      completedAt: final ? harness.clock.now().toISOString() : null,
    });
  });

  it('records findings with completion, and a finished review cannot change any more', async () => {
    const review = await env.member.reviews.trigger({ repositoryId: env.repository.id, title: 'Findings' });
    await env.member.reviews.update({ id: review.id, status: 'running' });
    const findings = [
      { path: 'src/a.ts', line: 3, severity: 'error' as const, message: 'Unchecked input' },
      { path: 'README.md', line: null, severity: 'info' as const, message: 'Typo' },
    ];
    const completed = await env.member.reviews.update({ id: review.id, status: 'completed', findings });
    expect(completed.findings).toEqual(findings);
    await expect(env.viewer.reviews.get({ id: review.id })).resolves.toEqual(completed);
    const failure = await failureOf(env.member.reviews.update({ id: review.id, findings: [] }));
    expect(failure.code).toBe('CONFLICT');
    expect(failure.message).toContain('completed');
    const audit = await harness.services.db
      .selectFrom('auditLogs')
      .select(['action', 'detail'])
      .where('targetId', '=', review.id)
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
    expect(audit.map((entry) => entry.action)).toEqual([
      'review.triggered',
      'review.updated',
      'review.updated',
    ]);
    expect(audit[2]?.detail).toMatchObject({ fromStatus: 'running', toStatus: 'completed', findings: 2 });
  });

  it.each([
    ['neither status nor findings', {}],
    ['an unknown status', { status: 'paused' }],
    ['a finding without a message', { findings: [{ path: 'a.ts', line: 1, severity: 'error' }] }],
    ['a finding with line 0', { findings: [{ path: 'a.ts', line: 0, severity: 'error', message: 'x' }] }],
    [
      'a finding with an unknown severity',
      { findings: [{ path: 'a.ts', line: 1, severity: 'fatal', message: 'x' }] },
    ],
  ])('refuses %s with VALIDATION_FAILED', async (_label, patch) => {
    const review = await env.member.reviews.trigger({ repositoryId: env.repository.id, title: 'Invalid' });
    // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
    expect(await codeOf(env.member.reviews.update({ id: review.id, ...patch } as any))).toBe(
      'VALIDATION_FAILED',
    );
  });
});

describe('reviews.list, reviews.get and reviews.stats', () => {
  it('lists newest first with filters and pages, and counts by status', async () => {
    const { member, viewer, admin, repository } = await setUp(100);
    const other = await admin.repositories.create({ name: 'acme/api' });
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      harness.clock.advance(1_000);
      const target = index % 2 === 0 ? repository.id : other.id;
      ids.push((await member.reviews.trigger({ repositoryId: target, title: `Review ${index}` })).id);
    }
    await member.reviews.update({ id: ids[0] as string, status: 'running' });
    await member.reviews.update({
      id: ids[0] as string,
      status: 'completed',
      findings: [
        { path: 'a.ts', line: 1, severity: 'warning', message: 'a' },
        { path: 'b.ts', line: 2, severity: 'warning', message: 'b' },
        { path: 'c.ts', line: 3, severity: 'warning', message: 'c' },
      ],
    });
    await member.reviews.update({ id: ids[1] as string, status: 'running' });
    await member.reviews.update({ id: ids[1] as string, status: 'completed' });
    await member.reviews.update({ id: ids[2] as string, status: 'cancelled' });

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await viewer.reviews.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.data.map((review) => review.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    const ofRepository = await viewer.reviews.list({ repositoryId: repository.id });
    expect(ofRepository.data.map((review) => review.id)).toEqual([ids[4], ids[2], ids[0]]);
    const completed = await viewer.reviews.list({ status: 'completed' });
    expect(completed.data.map((review) => review.id)).toEqual([ids[1], ids[0]]);

    expect(await viewer.reviews.stats()).toEqual({
      total: 5,
      byStatus: { queued: 2, running: 0, completed: 2, failed: 0, cancelled: 1 },
      averageFindings: 1.5,
      creditsSpent: 5 * REVIEW_CREDIT_COST,
    });
    expect(await viewer.reviews.stats({ repositoryId: other.id })).toMatchObject({
      total: 2,
      byStatus: { queued: 1, completed: 1 },
      averageFindings: 0,
    });
  });

  it('has empty stats for an organisation without reviews', async () => {
    const { viewer } = await setUp();
    expect(await viewer.reviews.stats()).toEqual({
      total: 0,
      byStatus: { queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0 },
      averageFindings: null,
      creditsSpent: 0,
    });
  });

  it('never shows another organisation’s reviews', async () => {
    const mine = await setUp();
    const theirs = await setUp();
    const review = await theirs.member.reviews.trigger({
      repositoryId: theirs.repository.id,
      title: 'Private',
    });
    expect(await codeOf(mine.viewer.reviews.get({ id: review.id }))).toBe('NOT_FOUND');
    expect(await codeOf(mine.member.reviews.update({ id: review.id, status: 'running' }))).toBe('NOT_FOUND');
    expect((await mine.viewer.reviews.list({ repositoryId: theirs.repository.id })).data).toEqual([]);
    expect((await mine.viewer.reviews.stats()).total).toBe(0);
    await expect(theirs.viewer.reviews.get({ id: review.id })).resolves.toMatchObject({ status: 'queued' });
  });

  it.each([
    ['a forged cursor', { cursor: 'eyJ4IjoxfQ' }],
    ['an unknown status filter', { status: 'paused' }],
    ['limit 101', { limit: 101 }],
  ])('list refuses %s with VALIDATION_FAILED', async (_label, input) => {
    const { viewer } = await setUp();
    // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
    expect(await codeOf(viewer.reviews.list(input as any))).toBe('VALIDATION_FAILED');
  });
});
