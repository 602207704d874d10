import { getUsage } from '../../core/billing.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { getUsageMeta, ZGetUsageRequestSchema, ZGetUsageResponseSchema } from './usage.types.ts';

export const getUsageProcedure = protectedProcedure
  .meta(getUsageMeta)
  .input(ZGetUsageRequestSchema)
  .output(ZGetUsageResponseSchema)
  .query(({ ctx, input }) => getUsage(ctx.services, ctx.principal, input));
