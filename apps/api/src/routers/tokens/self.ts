import { TollgateError } from '@tollgate/domain';
import { getSelfToken } from '../../core/tokens.ts';
import { rateLimitDecisionOf } from '../../ratelimit/enforce.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { selfTokenMeta, type TSelfTokenResponse, ZSelfTokenResponseSchema } from './self.types.ts';

export const selfTokenProcedure = protectedProcedure
  .meta(selfTokenMeta)
  .output(ZSelfTokenResponseSchema)
  .query(async ({ ctx }) => {
    if (ctx.principal.kind !== 'token') {
      throw new TollgateError(
        'FORBIDDEN',
        'This describes the calling API token: call it with a Bearer token.',
      );
    }
    const self = await getSelfToken(ctx.services, ctx.principal);
    const decision = rateLimitDecisionOf(ctx.request);
    if (!decision) return self;
    const rateLimit = Object.fromEntries(
      decision.windows.map((w) => [
        w.window,
        { limit: w.limit, remaining: w.remaining, reset: Math.ceil(w.resetAtMs / 1000) },
      ]),
    ) as TSelfTokenResponse['rateLimit'];
    return { ...self, rateLimit };
  });
