import { randomBase62 } from '../encoding/base62.ts';
import { tokenChecksum } from './checksum.ts';
import {
  assertTokenPrefix,
  DEFAULT_TOKEN_PREFIX,
  TOKEN_KIND_LETTER,
  TOKEN_SECRET_LENGTH,
  type TokenKind,
  type TokenPrefixOptions,
  tokenDisplayPrefix,
} from './format.ts';
import { hashToken } from './hash.ts';

export interface NewToken {
  /** The plain token: show it once, never store it. */
  token: string;
  /** What to store: `hashToken(token)`. */
  hash: string;
  /** The displayable first 12 characters. */
  prefix: string;
}

/**
 * Generates a token `<prefix><p|s>_<30 random base62><6 base62 CRC32>` together with its hash and display
 * prefix, so the caller has the value to store in hand and no reason to keep the secret.
 */
export function newToken(kind: TokenKind, options: TokenPrefixOptions = {}): NewToken {
  const prefix = options.prefix ?? DEFAULT_TOKEN_PREFIX;
  assertTokenPrefix(prefix);
  const body = `${prefix}${TOKEN_KIND_LETTER[kind]}_${randomBase62(TOKEN_SECRET_LENGTH)}`;
  const token = body + tokenChecksum(body);
  return { token, hash: hashToken(token), prefix: tokenDisplayPrefix(token) };
}
