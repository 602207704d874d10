import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface UsersTable {
  id: string;
  /** Unique case-insensitively (unique index on lower(email)). */
  email: string;
  name: string;
  passwordHash: string;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
