import { z } from 'zod';
import type { ProcedureMeta } from '../../trpc/init.ts';
import { BILLING_TAG, ZCreditLedgerEntrySchema } from './shared.types.ts';

export const ZGetCreditsRequestSchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20).describe('Ledger entries per page'),
    cursor: z.string().min(1).max(500).optional(),
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

export const getCreditsMeta = {
  scope: 'billing:read',
  rest: {
    method: 'GET',
    path: '/billing/credits',
    summary: 'Credit balance and the ledger, newest entries first',
    tags: [BILLING_TAG],
  },
} satisfies ProcedureMeta;
