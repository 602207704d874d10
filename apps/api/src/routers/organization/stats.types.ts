import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';

export const ZOrganizationStatsResponseSchema = z.object({
  repositories: z.number().int(),
  reviews: z.object({
    total: z.number().int(),
    queued: z.number().int(),
    running: z.number().int(),
    completed: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
  }),
  members: z.number().int(),
  /** Tokens that would be accepted now: not revoked, not deactivated, not expired. */
  activeTokens: z.number().int(),
  creditBalance: z.number().int(),
  /** Requests made with the organisation's tokens (counted in batches, so a few seconds late). */
  apiRequests: z.object({
    /** Today, UTC. */
    today: z.number().int(),
    /** The last 30 UTC days, today included. */
    last30Days: z.number().int(),
  }),
});
export type TOrganizationStatsResponse = z.infer<typeof ZOrganizationStatsResponseSchema>;

export const organizationStatsMeta = {
  scope: 'organization:read',
  rest: {
    method: 'GET',
    path: '/organization/stats',
    summary: 'Counts of repositories, reviews, members and active tokens; credit balance; API requests',
    tags: ['Organization'],
  },
} satisfies ProcedureMeta;
