import type { TokenRow } from '@tollgate/db';
import { isScope, normalizeScopes, type TToken, tokenStatus } from '@tollgate/domain';

function iso(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

/** The stored columns the token object is made of: never the hash, the previous hash or its grace. */
export type TokenObjectFields = Pick<
  TokenRow,
  | 'id'
  | 'type'
  | 'name'
  | 'description'
  | 'environment'
  | 'scopes'
  | 'ipAllowlist'
  | 'prefix'
  | 'active'
  | 'expiresAt'
  | 'revokedAt'
  | 'revokedReason'
  | 'lastUsedAt'
  | 'lastUsedIp'
  | 'lastUsedIps'
  | 'subjectUserId'
  | 'createdByUserId'
  | 'createdAt'
  | 'updatedAt'
>;

/**
 * The §3 token object of a stored token, with its status at `now`. It never carries the hash, the previous
 * hash or anything else a caller could use to authenticate: lists, gets and audit details are built from it.
 */
export function toTokenObject(row: TokenObjectFields, now: Date): TToken {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    description: row.description,
    environment: row.environment,
    // Stored scopes were validated on the way in; filtering keeps a renamed scope from breaking the schema.
    scopes: normalizeScopes(row.scopes.filter(isScope)),
    ipAllowlist: [...row.ipAllowlist],
    prefix: row.prefix,
    status: tokenStatus(row, now),
    active: row.active,
    expiresAt: iso(row.expiresAt),
    revokedAt: iso(row.revokedAt),
    revokedReason: row.revokedReason,
    lastUsedAt: iso(row.lastUsedAt),
    lastUsedIp: row.lastUsedIp,
    lastUsedIps: row.lastUsedIps.map((use) => ({
      ip: use.ip,
      lastUsedAt: new Date(use.lastUsedAt).toISOString(),
      userAgent: use.userAgent,
    })),
    subjectUserId: row.subjectUserId,
    createdByUserId: row.createdByUserId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
