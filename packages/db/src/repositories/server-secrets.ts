import type { Executor } from './executor.ts';

/**
 * The value stored under `name` in server_secrets, writing `generate()` first when there is none. Concurrent
 * callers agree: the primary key lets only the first insert in, and everyone reads what it wrote.
 */
export async function findOrCreateServerSecret(
  db: Executor,
  name: string,
  generate: () => string,
): Promise<string> {
  await db
    .insertInto('serverSecrets')
    .values({ name, value: generate() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('serverSecrets')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirst();
  if (row === undefined) throw new Error(`server secret ${name} could not be read`);
  return row.value;
}
