import { TollgateError } from '@tollgate/domain';
import { getSelfToken } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { selfTokenMeta, ZSelfTokenResponseSchema } from './self.types.ts';

export const selfTokenProcedure = protectedProcedure
  .meta(selfTokenMeta)
  .output(ZSelfTokenResponseSchema)
  .query(({ ctx }) => {
    if (ctx.principal.kind !== 'token') {
      throw new TollgateError(
        'FORBIDDEN',
        'This describes the calling API token: call it with a Bearer token.',
      );
    }
    return getSelfToken(ctx.services, ctx.principal);
  });
