import type { Role } from '@tollgate/domain';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** The domain's roles; the CHECK constraint on memberships.role lists the same names. */
export type MembershipRole = Role;

export interface MembershipsTable {
  organizationId: string;
  userId: string;
  role: MembershipRole;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export type MembershipRow = Selectable<MembershipsTable>;
export type NewMembership = Insertable<MembershipsTable>;
export type MembershipUpdate = Updateable<MembershipsTable>;
