import { ZGetUsageRequestSchema, ZGetUsageResponseSchema } from '@tollgate/domain';
import { getUsage } from '../../core/billing.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { getUsageMeta } from './billing.types.ts';

export const getUsageProcedure = protectedProcedure
  .meta(getUsageMeta)
  .input(ZGetUsageRequestSchema)
  .output(ZGetUsageResponseSchema)
  .query(({ ctx, input }) => getUsage(ctx.services, ctx.principal, input));
