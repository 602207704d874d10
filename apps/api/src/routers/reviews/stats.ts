import { getReviewStats } from '../../core/reviews.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { reviewStatsMeta, ZReviewStatsRequestSchema, ZReviewStatsResponseSchema } from './stats.types.ts';

export const reviewStatsProcedure = protectedProcedure
  .meta(reviewStatsMeta)
  .input(ZReviewStatsRequestSchema)
  .output(ZReviewStatsResponseSchema)
  .query(({ ctx, input }) => getReviewStats(ctx.services, ctx.principal, input));
