import { ZTriggerReviewRequestSchema, ZTriggerReviewResponseSchema } from '@tollgate/domain';
import { triggerReview } from '../../core/reviews.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { triggerReviewMeta } from './reviews.types.ts';

export const triggerReviewProcedure = protectedProcedure
  .meta(triggerReviewMeta)
  .input(ZTriggerReviewRequestSchema)
  .output(ZTriggerReviewResponseSchema)
  .mutation(({ ctx, input }) => triggerReview(ctx.services, ctx.principal, input, { request: ctx.request }));
