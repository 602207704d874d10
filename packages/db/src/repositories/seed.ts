import type { Executor } from './executor.ts';

/** Whether any organisation exists: the demo seed runs only on an empty database. */
export async function hasAnyOrganization(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}
