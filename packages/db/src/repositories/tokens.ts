import type { NewToken, TokenRow } from '../tables/index.ts';
import type { Executor } from './executor.ts';

export async function insertToken(db: Executor, token: NewToken): Promise<TokenRow> {
  return db.insertInto('tokens').values(token).returningAll().executeTakeFirstOrThrow();
}

/** A token of the organisation; undefined for another organisation's token (never reveal it exists). */
export async function findTokenById(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<TokenRow | undefined> {
  return db
    .selectFrom('tokens')
    .selectAll()
    .where('organizationId', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}
