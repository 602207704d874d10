import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * The value stored for a token: lowercase hex SHA-256 of the whole token in UTF-8. A plain (unsalted,
 * fast) hash is enough because the secret has ~178 bits of entropy, and it must be deterministic so that
 * a request's token can be looked up by hash.
 */
export function hashToken(token: string): string {
  return bytesToHex(sha256(utf8ToBytes(token)));
}
