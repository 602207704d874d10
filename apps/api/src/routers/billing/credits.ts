import { ZGetCreditsRequestSchema, ZGetCreditsResponseSchema } from '@tollgate/domain';
import { getCredits } from '../../core/billing.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { getCreditsMeta } from './billing.types.ts';

export const getCreditsProcedure = protectedProcedure
  .meta(getCreditsMeta)
  .input(ZGetCreditsRequestSchema)
  .output(ZGetCreditsResponseSchema)
  .query(({ ctx, input }) => getCredits(ctx.services, ctx.principal, input));
