import { dailyApiRequests, organizationCounts, reviewStatistics } from '@tollgate/db';
import type { TOrganizationStatsResponse } from '@tollgate/domain';
import { TollgateError } from '@tollgate/domain';
import type { Services } from '../services.ts';
import type { OrganizationActor } from './actor.ts';
import { lastUtcDays, organizationOf } from './product-common.ts';

/**
 * The organisation at a glance: repositories, reviews by status, members, active tokens, credit balance,
 * and API requests today and over the last 30 UTC days (from token_usage_daily, a flush interval late).
 */
export async function getOrganizationStats(
  services: Services,
  actor: OrganizationActor,
): Promise<TOrganizationStatsResponse> {
  const organizationId = organizationOf(actor);
  const now = services.clock.now();
  const days = lastUtcDays(now, 30);
  const today = days.at(-1) as string;
  const [counts, reviews, requests] = await Promise.all([
    organizationCounts(services.db, organizationId, now),
    reviewStatistics(services.db, { organizationId }),
    dailyApiRequests(services.db, { organizationId, fromDay: days[0] as string, toDay: today }),
  ]);
  if (!counts) throw new TollgateError('NOT_FOUND', 'The organisation was not found.');
  return {
    repositories: counts.repositories,
    reviews: { total: reviews.total, ...reviews.byStatus },
    members: counts.members,
    activeTokens: counts.activeTokens,
    creditBalance: counts.creditBalance,
    apiRequests: {
      today: requests.find((row) => row.day === today)?.requests ?? 0,
      last30Days: requests.reduce((sum, row) => sum + row.requests, 0),
    },
  };
}
