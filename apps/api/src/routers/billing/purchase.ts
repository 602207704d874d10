import { ZPurchaseCreditsRequestSchema, ZPurchaseCreditsResponseSchema } from '@tollgate/domain';
import { purchaseCredits } from '../../core/billing.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { purchaseCreditsMeta } from './billing.types.ts';

export const purchaseCreditsProcedure = protectedProcedure
  .meta(purchaseCreditsMeta)
  .input(ZPurchaseCreditsRequestSchema)
  .output(ZPurchaseCreditsResponseSchema)
  .mutation(({ ctx, input }) =>
    purchaseCredits(ctx.services, ctx.principal, input, { request: ctx.request }),
  );
