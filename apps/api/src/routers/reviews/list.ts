import { ZListReviewsRequestSchema, ZListReviewsResponseSchema } from '@tollgate/domain';
import { listReviews } from '../../core/reviews.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { listReviewsMeta } from './reviews.types.ts';

export const listReviewsProcedure = protectedProcedure
  .meta(listReviewsMeta)
  .input(ZListReviewsRequestSchema)
  .output(ZListReviewsResponseSchema)
  .query(({ ctx, input }) => listReviews(ctx.services, ctx.principal, input));
