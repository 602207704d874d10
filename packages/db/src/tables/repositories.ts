import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { JsonObject } from './json.ts';

export interface RepositoriesTable {
  id: string;
  organizationId: string;
  name: string;
  url: string | null;
  defaultBranch: Generated<string>;
  reviewSettings: Generated<JsonObject>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export type RepositoryRow = Selectable<RepositoriesTable>;
export type NewRepository = Insertable<RepositoriesTable>;
export type RepositoryUpdate = Updateable<RepositoriesTable>;
