import { z } from 'zod';

export const BILLING_TAG = 'Billing';

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
