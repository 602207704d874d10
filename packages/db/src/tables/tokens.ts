import type { Scope, TokenKind } from '@tollgate/domain';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** The domain's token kinds; the CHECK constraint on tokens.type lists the same names. */
export type TokenType = TokenKind;

/** Mirrors the CHECK constraint on tokens.revoked_reason (§3); the domain's TOKEN_REVOKED_REASONS lists the same. */
export type TokenRevokedReason = 'manual' | 'exposed' | 'reuse' | 'member_removed';

/** One entry of tokens.last_used_ips (JSON: the time as PostgreSQL writes a timestamptz). */
export interface TokenLastUsedAddress {
  ip: string;
  lastUsedAt: string;
  userAgent: string | null;
}

export interface TokensTable {
  id: string;
  organizationId: string;
  type: TokenType;
  /** Set exactly when type is 'personal' (CHECK constraint). */
  subjectUserId: string | null;
  createdByUserId: string | null;
  createdByTokenId: string | null;
  name: string;
  description: string | null;
  environment: string | null;
  /** As granted at creation (or narrowed since), from the domain's catalogue. */
  scopes: Scope[];
  ipAllowlist: Generated<string[]>;
  rateLimitPerMinute: number | null;
  rateLimitPerHour: number | null;
  expiresAt: Date | null;
  active: Generated<boolean>;
  revokedAt: Date | null;
  /** Set exactly when revokedAt is (CHECK constraint). */
  revokedReason: TokenRevokedReason | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  /** The last 5 distinct client addresses, newest first (§3 lastUsedIps); written by usage flushes only. */
  lastUsedIps: Generated<TokenLastUsedAddress[]>;
  /** The displayable start of the token. */
  prefix: string;
  /** SHA-256 of the whole token; unique. */
  hash: string;
  /** After a rotation: the old token's hash, accepted until previousHashExpiresAt. */
  previousHash: string | null;
  previousHashExpiresAt: Date | null;
  expiryNotifiedAt: Date | null;
  /** The smallest expiryNoticeDays mark `token.expiring` was sent at; null before the first. */
  expiryNoticeDays: number | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface TokenUsageDailyTable {
  tokenId: string;
  organizationId: string;
  /** 'YYYY-MM-DD' (UTC day). */
  day: string;
  requestCount: Generated<number>;
}

export type TokenRow = Selectable<TokensTable>;
export type NewToken = Insertable<TokensTable>;
export type TokenUpdate = Updateable<TokensTable>;

export type TokenUsageDailyRow = Selectable<TokenUsageDailyTable>;
export type NewTokenUsageDaily = Insertable<TokenUsageDailyTable>;
