import { router } from '../../trpc/init.ts';
import { getCreditsProcedure } from './credits.ts';
import { purchaseCreditsProcedure } from './purchase.ts';
import { getUsageProcedure } from './usage.ts';

/** Billing (§4 billing:*): the credit balance and its ledger, purchases, and usage per day. */
export const billingRouter = router({
  credits: getCreditsProcedure,
  purchase: purchaseCreditsProcedure,
  usage: getUsageProcedure,
});
