import { encodeBase62Fixed } from '../encoding/base62.ts';
import { crc32 } from '../encoding/crc32.ts';
import { TOKEN_CHECKSUM_LENGTH } from './format.ts';

/** The 6-character checksum for a token body (`<prefix><p|s>_<secret>`): its CRC32 in base62. */
export function tokenChecksum(body: string): string {
  return encodeBase62Fixed(crc32(body), TOKEN_CHECKSUM_LENGTH);
}
