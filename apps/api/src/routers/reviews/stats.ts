import { ZReviewStatsRequestSchema, ZReviewStatsResponseSchema } from '@tollgate/domain';
import { getReviewStats } from '../../core/reviews.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { reviewStatsMeta } from './reviews.types.ts';

export const reviewStatsProcedure = protectedProcedure
  .meta(reviewStatsMeta)
  .input(ZReviewStatsRequestSchema)
  .output(ZReviewStatsResponseSchema)
  .query(({ ctx, input }) => getReviewStats(ctx.services, ctx.principal, input));
