import { TollgateError } from '@tollgate/domain';
import { getSelfToken } from '../../core/tokens.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { selfTokenMeta, type TSelfTokenResponse, ZSelfTokenResponseSchema } from './self.types.ts';

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
    const self = getSelfToken(ctx.verification.token, { at: ctx.services.clock.now(), ip: ctx.request.ip });
    const decision = ctx.verification.rateLimit;
    const rateLimit: Record<string, { limit: number; remaining: number; reset: number }> = {};
    for (const w of decision.windows) {
      rateLimit[w.window] = { limit: w.limit, remaining: w.remaining, reset: Math.ceil(w.resetAtMs / 1000) };
    }
    return { ...self, rateLimit: rateLimit as TSelfTokenResponse['rateLimit'] };
  });
