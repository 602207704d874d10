import { ZUpdateReviewRequestSchema, ZUpdateReviewResponseSchema } from '@tollgate/domain';
import { updateReview } from '../../core/reviews.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { updateReviewMeta } from './reviews.types.ts';

export const updateReviewProcedure = protectedProcedure
  .meta(updateReviewMeta)
  .input(ZUpdateReviewRequestSchema)
  .output(ZUpdateReviewResponseSchema)
  .mutation(({ ctx, input }) => updateReview(ctx.services, ctx.principal, input, { request: ctx.request }));
