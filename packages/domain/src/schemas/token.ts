import { z } from 'zod';
import { ZId } from '../id/ids.ts';
import { ZIpRange } from '../ip/range.ts';
import { MAX_TOKEN_LIFETIME_DAYS } from '../policy/policy.ts';
import { ZScope } from '../scope/catalogue.ts';
import { TOKEN_KINDS } from '../token/format.ts';
import { ZTokenRevokedReason } from '../token/revoked-reason.ts';
import { MAX_INTEGER_COLUMN } from './bounds.ts';

export const ZTokenType = z.enum(TOKEN_KINDS, { error: 'Token type must be personal or service' });
export type TTokenType = z.infer<typeof ZTokenType>;

export const TOKEN_STATUSES = ['active', 'inactive', 'expired', 'revoked'] as const;
export const ZTokenStatus = z.enum(TOKEN_STATUSES);
export type TTokenStatus = z.infer<typeof ZTokenStatus>;

/** Seven days: the longest a rotated-out secret may keep working (§3). */
export const MAX_ROTATION_GRACE_SECONDS = 604_800;
export const MAX_IP_ALLOWLIST_ENTRIES = 100;

const ZTokenName = z.string().trim().min(1, { error: 'Name is required' }).max(100);
const ZTokenDescription = z.string().trim().max(500);
const ZEnvironment = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, {
    error: 'Environment is letters, digits, "-" and "_", starting with a letter or digit (e.g. production)',
  });
const ZIpAllowlist = z.array(ZIpRange).max(MAX_IP_ALLOWLIST_ENTRIES);
/** tokens.rate_limit_per_minute / _per_hour are PostgreSQL integers. */
const ZRateLimit = z.number().int().positive().max(MAX_INTEGER_COLUMN);

/** A list of known scopes, for places where an unknown scope is simply invalid input. */
export const ZScopeList = z.array(ZScope);

/**
 * Creating a token. `scopes` accepts any strings so that the API can check them with `parseScopes` and
 * answer UNKNOWN_SCOPE naming the unknown ones (§4), rather than a generic VALIDATION_FAILED.
 */
export const ZCreateTokenInput = z.object({
  name: ZTokenName,
  description: ZTokenDescription.optional(),
  environment: ZEnvironment.optional(),
  scopes: z
    .array(z.string().max(100))
    .max(100)
    .optional()
    .describe('Scopes to grant; omitted means the default set, clipped to your role'),
  expiresAt: z.iso.datetime({ offset: true }).optional().describe('Absolute expiry, ISO 8601'),
  expiresInDays: z.number().int().min(1).max(MAX_TOKEN_LIFETIME_DAYS).optional(),
  ipAllowlist: ZIpAllowlist.default([]).describe('IPv4/IPv6 addresses and CIDR ranges; empty allows any'),
  type: ZTokenType.default('personal'),
  subjectUserId: ZId('user')
    .optional()
    .describe('Create a personal token for another member (admin/owner only)'),
  rateLimitPerMinute: ZRateLimit.optional(),
  rateLimitPerHour: ZRateLimit.optional(),
});
export type TCreateTokenInput = z.infer<typeof ZCreateTokenInput>;

/** Changing a token's descriptive fields and allowlist; scopes never change after creation (§3). */
export const ZUpdateTokenInput = z.object({
  name: ZTokenName.optional(),
  description: ZTokenDescription.nullable().optional(),
  environment: ZEnvironment.nullable().optional(),
  ipAllowlist: ZIpAllowlist.optional(),
});
export type TUpdateTokenInput = z.infer<typeof ZUpdateTokenInput>;

export const ZRotateTokenInput = z.object({
  gracePeriodSeconds: z
    .number()
    .int()
    .min(0)
    .max(MAX_ROTATION_GRACE_SECONDS)
    .default(0)
    .describe('How long the old secret keeps working, 0 to 604800 seconds (7 days)'),
});
export type TRotateTokenInput = z.infer<typeof ZRotateTokenInput>;

/** The fields a tokens list can be sorted by (§3); the id breaks ties. */
export const ZTokenListSort = z.enum(['createdAt', 'name', 'lastUsedAt', 'expiresAt']);
export type TTokenListSort = z.infer<typeof ZTokenListSort>;
export const ZSortOrder = z.enum(['asc', 'desc']);
export type TSortOrder = z.infer<typeof ZSortOrder>;

export const ZListTokensInput = z.object({
  status: ZTokenStatus.optional(),
  type: ZTokenType.optional(),
  subjectUserId: ZId('user').optional(),
  scope: ZScope.optional(),
  q: z.string().trim().max(100).optional().describe('Text search in name, description and prefix; or an id'),
  sort: ZTokenListSort.default('createdAt').describe(
    'The field to sort by; tokens without a last use or an expiry come last in either order',
  ),
  order: ZSortOrder.default('desc'),
  limit: z.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .describe('The nextCursor of the previous page, same sort and order'),
});
export type TListTokensInput = z.infer<typeof ZListTokensInput>;

const ZTimestamp = z.iso.datetime();

/** One of the last client addresses of a token (§3 lastUsedIps). */
export const ZTokenLastUsedAddress = z.object({
  ip: z.string(),
  lastUsedAt: ZTimestamp,
  userAgent: z.string().nullable(),
});
export type TTokenLastUsedAddress = z.infer<typeof ZTokenLastUsedAddress>;

/** The token object of §3, identical over REST, tRPC and the CLI. Never carries the hash. */
export const ZToken = z.object({
  id: ZId('token'),
  type: ZTokenType,
  name: z.string(),
  description: z.string().nullable(),
  environment: z.string().nullable(),
  scopes: ZScopeList,
  ipAllowlist: z.array(z.string()),
  prefix: z.string().describe('The first 12 characters of the token, for recognising it'),
  status: ZTokenStatus,
  active: z.boolean(),
  expiresAt: ZTimestamp.nullable(),
  revokedAt: ZTimestamp.nullable(),
  revokedReason: ZTokenRevokedReason.nullable().describe(
    'Why the token was revoked: manual, exposed (found in a leak), reuse (a rotated-away secret came back) or member_removed; null unless revoked',
  ),
  lastUsedAt: ZTimestamp.nullable(),
  lastUsedIp: z.string().nullable(),
  lastUsedIps: z
    .array(ZTokenLastUsedAddress)
    .max(5)
    .describe('The last 5 distinct client addresses, newest first, each with its last use and user agent'),
  subjectUserId: ZId('user').nullable(),
  createdByUserId: ZId('user').nullable(),
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type TToken = z.infer<typeof ZToken>;

/** The create and rotate responses: the only time the plain token is ever returned. */
export const ZTokenWithSecret = ZToken.extend({
  token: z.string().describe('The plain token. It is shown only this once: store it now'),
});
export type TTokenWithSecret = z.infer<typeof ZTokenWithSecret>;

export interface TokenStatusFields {
  active: boolean;
  revokedAt: Date | string | null;
  expiresAt: Date | string | null;
}

function toTime(value: Date | string): number {
  return typeof value === 'string' ? Date.parse(value) : value.getTime();
}

/**
 * A token's status at `now`, most final first: revoked (irreversible) beats expired, which beats
 * inactive (reversible), so reactivating an expired token still reports it expired.
 */
export function tokenStatus(token: TokenStatusFields, now: Date = new Date()): TTokenStatus {
  if (token.revokedAt !== null) return 'revoked';
  // Written as "not after now" so that an unreadable expiry counts as expired rather than as never.
  if (token.expiresAt !== null && !(toTime(token.expiresAt) > now.getTime())) return 'expired';
  return token.active ? 'active' : 'inactive';
}
