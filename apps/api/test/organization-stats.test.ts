import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purchaseCredits } from '../src/core/billing.ts';
import { createRepository } from '../src/core/repositories.ts';
import { triggerReview, updateReview } from '../src/core/reviews.ts';
import { codeOf } from '../src/routers/tokens/test-helpers.ts';
import { createTestHarness, type TestHarness } from './helpers/harness.ts';

const DAY = 86_400_000;

let harness: TestHarness;

beforeAll(async () => {
  harness = await createTestHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('organization.stats', () => {
  it('counts repositories, reviews by status, members, active tokens, credits and API requests', async () => {
    const today = Date.parse('2026-05-20T00:00:00.000Z');
    harness.clock.set(new Date(today + 10 * 3_600_000));
    const org = await harness.seedOrganization();
    const neighbour = await harness.seedOrganization();
    await harness.seedUser('member', org.id);

    // Set up as Tollgate itself, so the only API requests are the ones recorded below.
    const system = { kind: 'system', organizationId: org.id } as const;
    const settings = { autoReview: true, minSeverity: 'info' as const, ignorePaths: [] };
    const web = await createRepository(harness.services, system, {
      name: 'web',
      defaultBranch: 'main',
      reviewSettings: settings,
    });
    await createRepository(harness.services, system, {
      name: 'api',
      defaultBranch: 'main',
      reviewSettings: settings,
    });
    await createRepository(
      harness.services,
      { kind: 'system', organizationId: neighbour.id },
      {
        name: 'elsewhere',
        defaultBranch: 'main',
        reviewSettings: settings,
      },
    );
    await purchaseCredits(harness.services, system, { amount: 10 });
    const reviews = [];
    for (const title of ['a', 'b', 'c']) {
      reviews.push(await triggerReview(harness.services, system, { repositoryId: web.id, title }));
    }
    await updateReview(harness.services, system, { id: reviews[0]?.id as string, status: 'running' });
    await updateReview(harness.services, system, { id: reviews[1]?.id as string, status: 'cancelled' });

    const reader = await harness.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['organization:read'],
    });
    const now = harness.clock.now();
    await harness.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['wiki:read'],
      revokedAt: now,
    });
    await harness.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['wiki:read'],
      active: false,
    });
    await harness.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['wiki:read'],
      expiresAt: new Date(now.getTime() - 1),
    });
    const later = await harness.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['wiki:read'],
      expiresAt: new Date(now.getTime() + DAY),
    });
    const theirs = await harness.issueToken({
      organizationId: neighbour.id,
      type: 'service',
      scopes: ['wiki:read'],
    });

    const usage = harness.services.usage;
    for (let count = 0; count < 2; count += 1)
      usage.record(later.id, org.id, '127.0.0.1', new Date(today + 1));
    usage.record(later.id, org.id, '127.0.0.1', new Date(today - 1));
    usage.record(later.id, org.id, '127.0.0.1', new Date(today - 29 * DAY));
    usage.record(later.id, org.id, '127.0.0.1', new Date(today - 30 * DAY));
    usage.record(theirs.id, neighbour.id, '127.0.0.1', new Date(today + 1));
    await usage.flush();

    await expect(harness.callerWithToken(reader.token).organization.stats()).resolves.toEqual({
      repositories: 2,
      reviews: { total: 3, queued: 1, running: 1, completed: 0, failed: 0, cancelled: 1 },
      members: 5,
      activeTokens: 2,
      creditBalance: 7,
      apiRequests: { today: 2, last30Days: 4 },
    });
  });

  it('is refused to a token without organization:read', async () => {
    const org = await harness.seedOrganization();
    const { token } = await harness.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['reviews:read'],
    });
    expect(await codeOf(harness.callerWithToken(token).organization.stats())).toBe('INSUFFICIENT_SCOPE');
  });
});
