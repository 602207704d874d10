import { countTokens, findTokenById, listTokenPage, type TokenListPosition } from '@tollgate/db';
import {
  CURSOR_MICROS,
  decodeCursor,
  encodeCursor,
  type Page,
  type RateLimits,
  type Scope,
  type TListTokensInput,
  type TToken,
  ZListTokensInput,
} from '@tollgate/domain';
import type { z } from 'zod';
import type { Verification } from '../../auth/verify-token.ts';
import type { RateLimitWindowName } from '../../ratelimit/config.ts';
import type { Services } from '../../services.ts';
import { isoStringOf, withLatestAddress } from '../last-used-ips.ts';
import { toTokenObject } from '../token-object.ts';
import { authorityOf, canManage, notFound, parseInput, type TokenActor } from './authority.ts';
import { type TokenDetail, toTokenDetail } from './detail.ts';

/** A page of tokens and how many match the filters in all. */
export interface TokenPage extends Page<TToken> {
  total: number;
}

/** The calling token as `tokens.self` shows it (§3 whoami). */
export interface SelfToken extends TToken {
  /** Token scopes ∩ the subject's current role ceiling (service tokens: token scopes), implied reads listed. */
  effectiveScopes: Scope[];
  /** The limits this token's requests are held to: the lower of the organisation's and its own. */
  rateLimits: RateLimits;
  /** The live counters after this request, per window. */
  rateLimit: Record<RateLimitWindowName, RateLimitWindow>;
}

/** A cursor's key part: µs since the epoch for a time (empty for a token without one); a name as it is. */
const KEY_PATTERNS: Record<TListTokensInput['sort'], RegExp> = {
  createdAt: CURSOR_MICROS,
  lastUsedAt: new RegExp(`${CURSOR_MICROS.source}|^$`),
  expiresAt: new RegExp(`${CURSOR_MICROS.source}|^$`),
  name: /^[\s\S]{1,200}$/,
};

/** The sort a cursor was made for, e.g. `name:asc`; a cursor of another sort or order is refused. */
const sortTag = (input: Pick<TListTokensInput, 'sort' | 'order'>): string => `${input.sort}:${input.order}`;

/** The position a tokens cursor names: its sort, the sort key and an id of at most 100 characters. */
function tokenCursorOf(cursor: string, input: TListTokensInput): TokenListPosition {
  const tag = sortTag(input);
  const [, key, id] = decodeCursor(cursor, [
    new RegExp(`^${tag}$`),
    KEY_PATTERNS[input.sort],
    /^[\s\S]{0,100}$/,
  ]) as [string, string, string];
  return { key: key === '' ? null : key, id };
}

/**
 * A page of the organisation's tokens with filters, in the asked order (newest first unless asked), and how
 * many match (§3). Admins, owners, service tokens and the system see every token of the organisation; anyone
 * else only their own personal tokens.
 */
export async function listTokens(
  services: Services,
  actor: TokenActor,
  rawInput: z.input<typeof ZListTokensInput> = {},
): Promise<TokenPage> {
  const input: TListTokensInput = parseInput(ZListTokensInput, rawInput);
  const authority = authorityOf(actor);
  const now = services.clock.now();
  const after = input.cursor === undefined ? undefined : tokenCursorOf(input.cursor, input);

  let subjectUserId = input.subjectUserId;
  if (!authority.managesOthers) {
    // Only their own personal tokens: asking for anyone else's, or for service tokens, finds nothing.
    if ((subjectUserId !== undefined && subjectUserId !== authority.userId) || input.type === 'service') {
      return { data: [], nextCursor: null, total: 0 };
    }
    subjectUserId = authority.userId ?? undefined;
  }

  const filters = {
    organizationId: authority.organizationId,
    now,
    status: input.status,
    type: input.type,
    subjectUserId,
    scope: input.scope,
    q: input.q,
  };
  const [rows, total] = await Promise.all([
    listTokenPage(services.db, {
      ...filters,
      sort: input.sort,
      order: input.order,
      limit: input.limit + 1,
      after,
    }),
    countTokens(services.db, filters),
  ]);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    data: page.map((row) => toTokenObject(row, now)),
    nextCursor:
      rows.length > input.limit && last ? encodeCursor([sortTag(input), last.sortKey ?? '', last.id]) : null,
    total,
  };
}

/** One token the actor may see; NOT_FOUND for another organisation's or (for members) another member's. */
export async function getToken(
  services: Services,
  actor: TokenActor,
  input: { id: string },
): Promise<TToken> {
  const authority = authorityOf(actor);
  const row = await findTokenById(services.db, authority.organizationId, input.id);
  if (!row || !canManage(authority, row)) throw notFound();
  return toTokenObject(row, services.clock.now());
}

/**
 * The calling token as `tokens.self` shows it, answered from what verification loaded (no query): its token
 * object, active (it has just passed every check of §3), with lastUsedAt/lastUsedIp being this very request,
 * its effective scopes, the lower of the organisation's and the token's limits, and the live counters.
 */
export function getSelfToken(
  verification: Verification,
  use: { at: Date; ip: string; userAgent?: string | null },
): SelfToken {
  const { token, rateLimit } = verification;
  const windows = {} as Record<RateLimitWindowName, RateLimitWindow>;
  for (const window of rateLimit.windows) {
    windows[window.window] = {
      limit: window.limit,
      remaining: window.remaining,
      reset: Math.ceil(window.resetAtMs / 1000),
    };
  }
  return {
    ...token.tokenObject,
    status: 'active',
    lastUsedAt: isoStringOf(use.at),
    lastUsedIp: use.ip,
    lastUsedIps: withLatestAddress(token.tokenObject.lastUsedIps, use),
    effectiveScopes: token.effectiveScopes as Scope[],
    rateLimits: token.limits,
    rateLimit: windows,
  };
}

/** One window's counter as `tokens.self` reports it (reset in Unix seconds). */
export interface RateLimitWindow {
  limit: number;
  remaining: number;
  reset: number;
}

/** One token the actor may see, with its own limits and rotation state (tokens.get). */
export async function getTokenDetail(
  services: Services,
  actor: TokenActor,
  input: { id: string },
): Promise<TokenDetail> {
  const authority = authorityOf(actor);
  const row = await findTokenById(services.db, authority.organizationId, input.id);
  if (!row || !canManage(authority, row)) throw notFound();
  return toTokenDetail(row, services.clock.now());
}
