import { z } from 'zod';
import { MAX_CREDIT_PURCHASE, MIN_CREDIT_PURCHASE } from '../billing/credits.ts';
import { ZPageCursor, ZPageLimit } from './page.ts';

export const ZCreditLedgerEntrySchema = z.object({
  id: z.string(),
  /** Positive for credits added, negative for credits spent. */
  amount: z.number().int(),
  reason: z.enum(['purchase', 'review', 'grant', 'refund']),
  /** What the entry is for, e.g. the review a debit paid for. */
  referenceId: z.string().nullable(),
  /** The user or token that caused the entry; null when Tollgate itself did. */
  actorId: z.string().nullable(),
  createdAt: z.string(),
});

export type TCreditLedgerEntry = z.infer<typeof ZCreditLedgerEntrySchema>;

export const ZGetCreditsRequestSchema = z
  .object({
    limit: ZPageLimit.describe('Ledger entries per page'),
    cursor: ZPageCursor,
  })
  .default({ limit: 20 });

export type TGetCreditsRequest = z.infer<typeof ZGetCreditsRequestSchema>;

export const ZGetCreditsResponseSchema = z.object({
  balance: z.number().int(),
  /** The most recent ledger entries, newest first. */
  data: z.array(ZCreditLedgerEntrySchema),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for older entries; null on the last page'),
});

export type TGetCreditsResponse = z.infer<typeof ZGetCreditsResponseSchema>;

export const ZPurchaseCreditsRequestSchema = z.object({
  amount: z
    .number()
    .int()
    .min(MIN_CREDIT_PURCHASE)
    .max(MAX_CREDIT_PURCHASE)
    .describe(`Credits to add, ${MIN_CREDIT_PURCHASE} to ${MAX_CREDIT_PURCHASE}`),
});

export type TPurchaseCreditsRequest = z.infer<typeof ZPurchaseCreditsRequestSchema>;

export const ZPurchaseCreditsResponseSchema = z.object({
  /** The balance after the purchase. */
  balance: z.number().int(),
  entry: ZCreditLedgerEntrySchema,
});

export type TPurchaseCreditsResponse = z.infer<typeof ZPurchaseCreditsResponseSchema>;

export const MAX_USAGE_DAYS = 90;

export const ZGetUsageRequestSchema = z
  .object({
    days: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_USAGE_DAYS)
      .default(30)
      .describe(`How many days, ending today (UTC): 1 to ${MAX_USAGE_DAYS}`),
  })
  .default({ days: 30 });

export type TGetUsageRequest = z.infer<typeof ZGetUsageRequestSchema>;

export const ZUsageDaySchema = z.object({
  /** 'YYYY-MM-DD', UTC. */
  date: z.string(),
  /** Credits spent that day. */
  creditsDebited: z.number().int(),
  /** Credits added that day (purchases, grants, refunds). */
  creditsAdded: z.number().int(),
  /** Requests made with the organisation's tokens that day (counted in batches, so a few seconds late). */
  apiRequests: z.number().int(),
});

export const ZGetUsageResponseSchema = z.object({
  /** One entry per day, oldest first, days without activity included with zeros. */
  data: z.array(ZUsageDaySchema),
  totals: z.object({
    creditsDebited: z.number().int(),
    creditsAdded: z.number().int(),
    apiRequests: z.number().int(),
  }),
});

export type TGetUsageResponse = z.infer<typeof ZGetUsageResponseSchema>;
