import { MAX_CREDIT_PURCHASE, MIN_CREDIT_PURCHASE } from '@tollgate/domain';
import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { BILLING_TAG, ZCreditLedgerEntrySchema } from './shared.types.ts';

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

export const purchaseCreditsMeta = {
  scope: 'billing:write',
  rest: {
    method: 'POST',
    path: '/billing/credits',
    summary: 'Purchase credits (adds a ledger entry)',
    tags: [BILLING_TAG],
    successStatus: 201,
  },
} satisfies ProcedureMeta;
