import { ZGetReviewRequestSchema, ZGetReviewResponseSchema } from '@tollgate/domain';
import { getReview } from '../../core/reviews.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { getReviewMeta } from './reviews.types.ts';

export const getReviewProcedure = protectedProcedure
  .meta(getReviewMeta)
  .input(ZGetReviewRequestSchema)
  .output(ZGetReviewResponseSchema)
  .query(({ ctx, input }) => getReview(ctx.services, ctx.principal, input));
