import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface WikiPagesTable {
  id: string;
  organizationId: string;
  slug: string;
  title: string;
  body: Generated<string>;
  updatedByActorId: string | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export type WikiPageRow = Selectable<WikiPagesTable>;
export type NewWikiPage = Insertable<WikiPagesTable>;
export type WikiPageUpdate = Updateable<WikiPagesTable>;
