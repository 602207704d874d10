import { TollgateError, ZSelfTokenResponseSchema } from '@tollgate/domain';
import { getSelfToken } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { selfTokenMeta } from './tokens.types.ts';

export const selfTokenProcedure = protectedProcedure
  .meta(selfTokenMeta)
  .output(ZSelfTokenResponseSchema)
  .query(async ({ ctx }) => {
    if (ctx.verification === null) {
      throw new TollgateError(
        'FORBIDDEN',
        'This describes the calling API token: call it with a Bearer token.',
      );
    }
    return getSelfToken(ctx.verification, {
      at: ctx.services.clock.now(),
      ip: ctx.request.ip,
      userAgent: ctx.request.userAgent,
    });
  });
