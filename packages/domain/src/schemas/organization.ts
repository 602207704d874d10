import { z } from 'zod';
import { ZOrganizationPolicy } from '../policy/policy.ts';
import { ZTier } from '../tier/tiers.ts';

export const ZOrganizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  tier: ZTier,
  /** The policy in force (§5), every field resolved. */
  policy: ZOrganizationPolicy,
  /** The organisation's request limits (§6), counted across all its tokens. */
  rateLimits: z.object({ perMinute: z.number().int(), perHour: z.number().int() }),
  createdAt: z.string(),
});

export type TOrganization = z.infer<typeof ZOrganizationSchema>;

export const ZGetOrganizationOutputSchema = ZOrganizationSchema;

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

export const ZUpdateOrganizationOutputSchema = ZOrganizationSchema.extend({
  /** Live tokens the policy now in force would not allow; they keep working until their own expiry (§5). */
  tokensBeyondPolicy: z.number().int().min(0),
});
