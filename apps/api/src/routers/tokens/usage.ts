import { dailyTokenRequests } from '@tollgate/db';
import {
  type TTokenUsageRequest,
  type TTokenUsageResponse,
  ZTokenUsageRequestSchema,
  ZTokenUsageResponseSchema,
} from '@tollgate/domain';
import { lastUtcDays } from '../../core/product-common.ts';
import { getToken, type TokenActor } from '../../core/tokens.ts';
import type { Services } from '../../services.ts';
import { protectedProcedure } from '../../trpc/procedures.ts';
import { tokenUsageMeta } from './tokens.types.ts';

/**
 * Requests per UTC day of one token, for the web app's chart. Visibility is exactly that of tokens.get
 * (getToken answers NOT_FOUND for a token the actor may not see), then one indexed read of token_usage_daily.
 */
export async function getTokenUsage(
  services: Services,
  actor: TokenActor,
  input: TTokenUsageRequest,
): Promise<TTokenUsageResponse> {
  const token = await getToken(services, actor, { id: input.id });
  const days = lastUtcDays(services.clock.now(), input.days);
  const rows = await dailyTokenRequests(services.db, {
    tokenId: token.id,
    fromDay: days[0] as string,
    toDay: days.at(-1) as string,
  });
  const byDay = new Map(rows.map((row) => [row.day, row.requests]));
  const data = days.map((date) => ({ date, requests: byDay.get(date) ?? 0 }));
  return { data, total: data.reduce((sum, day) => sum + day.requests, 0) };
}

export const tokenUsageProcedure = protectedProcedure
  .meta(tokenUsageMeta)
  .input(ZTokenUsageRequestSchema)
  .output(ZTokenUsageResponseSchema)
  .query(({ ctx, input }) => getTokenUsage(ctx.services, ctx.principal, input));
