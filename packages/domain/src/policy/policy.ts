import { z } from 'zod';
import { ZIpRange } from '../ip/range.ts';
import { ROLES, ZRole } from '../role/roles.ts';

export const API_ACCESS_MODES = ['tokens_and_sessions', 'tokens_only'] as const;
export const ZApiAccess = z.enum(API_ACCESS_MODES, {
  error: 'apiAccess must be tokens_and_sessions or tokens_only',
});

export const MAX_TOKEN_LIFETIME_DAYS = 3650;

const ZRoleList = z
  .array(ZRole)
  .max(ROLES.length)
  .refine((roles) => new Set(roles).size === roles.length, { error: 'Each role may be listed only once' });
const ZLifetimeDays = z.number().int().min(1).max(MAX_TOKEN_LIFETIME_DAYS).nullable();

/** The most marks `expiryNoticeDays` may hold, and the furthest one, in days before expiry. */
export const MAX_EXPIRY_NOTICES = 5;
export const MAX_EXPIRY_NOTICE_DAYS = 365;
/** When `token.expiring` is sent by default: 30, 7 and 1 days before a token expires (§5). */
export const DEFAULT_EXPIRY_NOTICE_DAYS: readonly number[] = Object.freeze([30, 7, 1]);

/** Days before expiry at which `token.expiring` is sent, once per mark; kept largest first, each once. */
const ZExpiryNoticeDays = z
  .array(
    z
      .number()
      .int({ error: 'Each expiry notice mark is a whole number of days' })
      .min(1, { error: 'An expiry notice mark is at least 1 day before expiry' })
      .max(MAX_EXPIRY_NOTICE_DAYS, {
        error: `An expiry notice mark is at most ${MAX_EXPIRY_NOTICE_DAYS} days before expiry`,
      }),
  )
  .max(MAX_EXPIRY_NOTICES, { error: `At most ${MAX_EXPIRY_NOTICES} expiry notice marks` })
  .refine((days) => new Set(days).size === days.length, {
    error: 'Each expiry notice mark may be listed only once',
  })
  .transform((days) => [...days].sort((a, b) => b - a));

/** An organisation's token policy (§5), stored in the organisation's settings. */
export const ZOrganizationPolicy = z.object({
  /** Roles whose members may use tokens; a personal token of anyone else is refused (ROLE_NOT_ALLOWED). */
  tokenUseRoles: ZRoleList,
  /** Roles whose members may create tokens. */
  tokenCreateRoles: ZRoleList,
  /** Longest lifetime a new token may have, in days; null for no limit. */
  maxTokenLifetimeDays: ZLifetimeDays,
  /** Whether a new token must be given an expiry. */
  requireExpiry: z.boolean(),
  /** `tokens_only` refuses session-cookie requests on the REST API (SESSIONS_NOT_ALLOWED). */
  apiAccess: ZApiAccess,
  /** Organisation-wide IP allowlist, intersected with each token's; empty = any. */
  allowedIpRanges: z.array(ZIpRange).max(100),
  /** Days before expiry at which `token.expiring` is sent, once per mark (empty: never). */
  expiryNoticeDays: ZExpiryNoticeDays,
  /** Whether a rotated-away secret presented after its grace revokes its token (reason `reuse`, §12). */
  revokeOnReuse: z.boolean(),
});

export type TOrganizationPolicy = z.infer<typeof ZOrganizationPolicy>;

/** A change to the policy: any subset of its fields. */
export const ZOrganizationPolicyPatch = ZOrganizationPolicy.partial();
export type TOrganizationPolicyPatch = z.infer<typeof ZOrganizationPolicyPatch>;

/** The policy of an organisation that has not set one (§5). */
export const DEFAULT_POLICY: Readonly<TOrganizationPolicy> = Object.freeze<TOrganizationPolicy>({
  tokenUseRoles: [...ROLES],
  tokenCreateRoles: ['owner', 'admin', 'member'],
  maxTokenLifetimeDays: null,
  requireExpiry: false,
  apiAccess: 'tokens_and_sessions',
  allowedIpRanges: [],
  expiryNoticeDays: [...DEFAULT_EXPIRY_NOTICE_DAYS],
  revokeOnReuse: false,
});

function fieldOr<T>(schema: z.ZodType<T>, value: unknown, fallback: T): T {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
}

/**
 * The policy in force, from whatever is stored (JSON that may predate a field, or be null). Each field
 * falls back to its default on its own when missing or invalid, so one bad value cannot reset the rest.
 */
export function resolvePolicy(stored: unknown): TOrganizationPolicy {
  const source: Record<string, unknown> =
    typeof stored === 'object' && stored !== null && !Array.isArray(stored)
      ? (stored as Record<string, unknown>)
      : {};
  return {
    tokenUseRoles: fieldOr(ZRoleList, source.tokenUseRoles, [...DEFAULT_POLICY.tokenUseRoles]),
    tokenCreateRoles: fieldOr(ZRoleList, source.tokenCreateRoles, [...DEFAULT_POLICY.tokenCreateRoles]),
    maxTokenLifetimeDays: fieldOr(
      ZLifetimeDays,
      source.maxTokenLifetimeDays,
      DEFAULT_POLICY.maxTokenLifetimeDays,
    ),
    requireExpiry: fieldOr(z.boolean(), source.requireExpiry, DEFAULT_POLICY.requireExpiry),
    apiAccess: fieldOr(ZApiAccess, source.apiAccess, DEFAULT_POLICY.apiAccess),
    allowedIpRanges: fieldOr(ZOrganizationPolicy.shape.allowedIpRanges, source.allowedIpRanges, [
      ...DEFAULT_POLICY.allowedIpRanges,
    ]),
    expiryNoticeDays: fieldOr(ZExpiryNoticeDays, source.expiryNoticeDays, [...DEFAULT_EXPIRY_NOTICE_DAYS]),
    revokeOnReuse: fieldOr(z.boolean(), source.revokeOnReuse, DEFAULT_POLICY.revokeOnReuse),
  };
}
