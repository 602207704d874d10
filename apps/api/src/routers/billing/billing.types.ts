import type { ProcedureMeta } from '../../trpc/init.ts';

export const BILLING_TAG = 'Billing';

export const getCreditsMeta = {
  scope: 'billing:read',
  rest: {
    method: 'GET',
    path: '/billing/credits',
    summary: 'Credit balance and the ledger, newest entries first',
    tags: [BILLING_TAG],
  },
} satisfies ProcedureMeta;

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

export const getUsageMeta = {
  scope: 'billing:read',
  rest: {
    method: 'GET',
    path: '/billing/usage',
    summary: 'Credits and API requests per day for the last N days (default 30, at most 90)',
    tags: [BILLING_TAG],
  },
} satisfies ProcedureMeta;
