import { ZOrganizationPolicy, ZTier } from '@tollgate/domain';
import { z } from 'zod';

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
