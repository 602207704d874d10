/**
 * Base62 in ASCII order (`0-9A-Za-z`), so that fixed-width encodings of numbers sort the same way as the
 * numbers themselves (ids rely on this).
 */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// 62 * 4: bytes at or above this would make `byte % 62` favour the first eight characters.
const UNBIASED_BYTE_LIMIT = 248;
const RANDOM_BATCH_SIZE = 64;

/**
 * Encodes a non-negative safe integer as exactly `width` base62 characters, left-padded with `0`.
 * Throws a RangeError when the number is negative, fractional, unsafe, or does not fit in `width` digits,
 * because silently truncating would break checksums and id ordering.
 */
export function encodeBase62Fixed(n: number, width: number): string {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`encodeBase62Fixed expects a non-negative safe integer, got ${n}`);
  }
  if (!Number.isInteger(width) || width < 1) {
    throw new RangeError(`encodeBase62Fixed expects a positive integer width, got ${width}`);
  }
  let remaining = n;
  let digits = '';
  for (let i = 0; i < width; i++) {
    digits = BASE62_ALPHABET[remaining % 62] + digits;
    remaining = Math.floor(remaining / 62);
  }
  if (remaining !== 0) {
    throw new RangeError(`${n} does not fit in ${width} base62 characters`);
  }
  return digits;
}

/** Value of one base62 character code, or -1 when the character is outside the alphabet. */
export function base62Value(charCode: number): number {
  if (charCode >= 48 && charCode <= 57) return charCode - 48; // 0-9
  if (charCode >= 65 && charCode <= 90) return charCode - 55; // A-Z
  if (charCode >= 97 && charCode <= 122) return charCode - 61; // a-z
  return -1;
}

/**
 * Decodes `s.slice(start, end)` as a base62 number without allocating the slice (parsing runs on every
 * request). Returns -1 when a character is outside the alphabet. Only meaningful for results up to 2^53.
 */
export function decodeBase62(s: string, start = 0, end = s.length): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = base62Value(s.charCodeAt(i));
    if (digit < 0) return -1;
    value = value * 62 + digit;
  }
  return value;
}

/**
 * Returns `length` base62 characters from the platform CSPRNG (`crypto.getRandomValues`), using rejection
 * sampling so every character is equally likely (log2(62) ≈ 5.954 bits each).
 */
export function randomBase62(length: number): string {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`randomBase62 expects a non-negative integer length, got ${length}`);
  }
  const bytes = new Uint8Array(RANDOM_BATCH_SIZE);
  let out = '';
  while (out.length < length) {
    globalThis.crypto.getRandomValues(bytes);
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      const byte = bytes[i]!;
      if (byte < UNBIASED_BYTE_LIMIT) out += BASE62_ALPHABET[byte % 62];
    }
  }
  return out;
}
