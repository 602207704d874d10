import { sql } from 'kysely';
import type { JsonObject, NewTokenSecret, TokenRevokedReason } from '../tables/index.ts';
import type { Executor } from './executor.ts';

/**
 * Remembers secrets a token no longer has (§12). A hash already remembered keeps the earlier retirement: a
 * second rotation during a grace cuts the previous secret's grace short, and never lengthens it.
 */
export async function retireTokenSecrets(db: Executor, secrets: readonly NewTokenSecret[]): Promise<void> {
  if (secrets.length === 0) return;
  await db
    .insertInto('tokenSecrets')
    .values([...secrets])
    .onConflict((conflict) =>
      conflict.column('hash').doUpdateSet({
        retiredAt: sql`least(token_secrets.retired_at, excluded.retired_at)`,
      }),
    )
    .execute();
}

/** A retired secret, with what reporting its reuse needs about its token and organisation. */
export interface RetiredSecretMatch {
  tokenId: string;
  organizationId: string;
  /** The retired secret's displayable prefix, when known. */
  retiredPrefix: string | null;
  retiredAt: Date;
  revokedAt: Date | null;
  revokedReason: TokenRevokedReason | null;
  /** The stored organisation policy (§5); resolve it with the domain's resolvePolicy. */
  organizationPolicy: JsonObject;
}

/** The token a retired secret belonged to, by the secret's hash; undefined when it never was one. */
export async function findRetiredSecret(db: Executor, hash: string): Promise<RetiredSecretMatch | undefined> {
  return db
    .selectFrom('tokenSecrets as s')
    .innerJoin('tokens as t', 't.id', 's.tokenId')
    .innerJoin('organizations as o', 'o.id', 't.organizationId')
    .select([
      's.tokenId',
      't.organizationId',
      's.prefix as retiredPrefix',
      's.retiredAt',
      't.revokedAt',
      't.revokedReason',
      'o.policy as organizationPolicy',
    ])
    .where('s.hash', '=', hash)
    .executeTakeFirst();
}

/**
 * Claims the right to send a token's `token.reuse_detected` event at `now`: true when no event was sent for it
 * in the `intervalMs` before (one statement, so of concurrent claims across processes exactly one wins).
 */
export async function claimReuseEvent(
  db: Executor,
  tokenId: string,
  now: Date,
  intervalMs: number,
): Promise<boolean> {
  const claimed = await db
    .insertInto('tokenReuseReports')
    .values({ tokenId, lastEventAt: now })
    .onConflict((conflict) =>
      conflict
        .column('tokenId')
        .doUpdateSet({ lastEventAt: now })
        .where('tokenReuseReports.lastEventAt', '<=', new Date(now.getTime() - intervalMs)),
    )
    .returning('tokenId')
    .executeTakeFirst();
  return claimed !== undefined;
}
