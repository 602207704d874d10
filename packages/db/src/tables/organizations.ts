import type { Tier } from '@tollgate/domain';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { JsonObject } from './json.ts';

/** The domain's tiers; the CHECK constraint on organizations.tier lists the same names. */
export type OrganizationTier = Tier;

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

export type OrganizationRow = Selectable<OrganizationsTable>;
export type NewOrganization = Insertable<OrganizationsTable>;
export type OrganizationUpdate = Updateable<OrganizationsTable>;
