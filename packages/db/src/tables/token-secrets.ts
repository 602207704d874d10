import type { Generated, Insertable, Selectable } from 'kysely';

/** A secret a token no longer has (§12 token families): its hash, and when it stopped working. */
export interface TokenSecretsTable {
  /** SHA-256 of the whole retired token; unique. */
  hash: string;
  tokenId: string;
  /** The displayable start of the retired secret (§3 prefix); null for one retired before families were kept. */
  prefix: string | null;
  /** The end of the rotation grace, or the rotation itself when there was none. */
  retiredAt: Date;
  createdAt: Generated<Date>;
}

/** When the last `token.reuse_detected` event of a token was sent (at most one per hour, §12). */
export interface TokenReuseReportsTable {
  tokenId: string;
  lastEventAt: Date;
}

export type TokenSecretRow = Selectable<TokenSecretsTable>;
export type NewTokenSecret = Insertable<TokenSecretsTable>;
