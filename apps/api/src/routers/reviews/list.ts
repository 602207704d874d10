import { listReviews } from '../../core/reviews.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { listReviewsMeta, ZListReviewsRequestSchema, ZListReviewsResponseSchema } from './list.types.ts';

export const listReviewsProcedure = protectedProcedure
  .meta(listReviewsMeta)
  .input(ZListReviewsRequestSchema)
  .output(ZListReviewsResponseSchema)
  .query(({ ctx, input }) => listReviews(ctx.services, ctx.principal, input));
