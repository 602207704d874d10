import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { JsonObject } from './json.ts';

/** Mirrors the CHECK constraint on organizations.tier. */
export type OrganizationTier = 'free' | 'basic' | 'standard' | 'premium' | 'enterprise';
/** Mirrors the CHECK constraint on memberships.role. */
export type MembershipRole = 'owner' | 'admin' | 'member' | 'viewer';

export interface OrganizationsTable {
  id: string;
  name: string;
  slug: string;
  tier: Generated<OrganizationTier>;
  customRateLimitPerMinute: number | null;
  customRateLimitPerHour: number | null;
  /** The organisation policy (§5); its shape is owned by packages/domain. */
  policy: Generated<JsonObject>;
  /** Never negative: the database refuses a debit that would overdraw it. */
  creditBalance: Generated<number>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface UsersTable {
  id: string;
  /** Unique case-insensitively (unique index on lower(email)). */
  email: string;
  name: string;
  passwordHash: string;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface MembershipsTable {
  organizationId: string;
  userId: string;
  role: MembershipRole;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface SessionsTable {
  id: string;
  /** SHA-256 (hex) of the cookie secret; the secret itself is never stored. */
  secretHash: string;
  userId: string;
  /** The organisation the session currently acts in. */
  organizationId: string | null;
  csrfTokenHash: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: Generated<Date>;
  lastSeenAt: Generated<Date>;
  expiresAt: Date;
}

export type OrganizationRow = Selectable<OrganizationsTable>;
export type NewOrganization = Insertable<OrganizationsTable>;
export type OrganizationUpdate = Updateable<OrganizationsTable>;

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;

export type MembershipRow = Selectable<MembershipsTable>;
export type NewMembership = Insertable<MembershipsTable>;
export type MembershipUpdate = Updateable<MembershipsTable>;

export type SessionRow = Selectable<SessionsTable>;
export type NewSession = Insertable<SessionsTable>;
export type SessionUpdate = Updateable<SessionsTable>;
