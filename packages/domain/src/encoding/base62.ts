/**
 * Base62 in ASCII order (`0-9A-Za-z`), so that fixed-width encodings of numbers sort the same way as the
 * numbers themselves (ids rely on this).
 */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// 62 * 4: bytes at or above this would make `byte % 62` favour the first eight characters.
const UNBIASED_BYTE_LIMIT = 248;
/**
 * Random bytes are drawn from the CSPRNG this many at a time and handed out one by one, each used once and
 * zeroed: one `getRandomValues` call per ~190 request ids instead of one per id (the call into the platform
 * costs far more than the bytes; every request gets an id). Node's own randomUUID batches the same way.
 */
const RANDOM_POOL_SIZE = 4096;
const randomPool = new Uint8Array(RANDOM_POOL_SIZE);
let randomPoolOffset = RANDOM_POOL_SIZE;

function nextRandomByte(): number {
  if (randomPoolOffset === RANDOM_POOL_SIZE) {
    globalThis.crypto.getRandomValues(randomPool);
    randomPoolOffset = 0;
  }
  const byte = randomPool[randomPoolOffset] as number;
  randomPool[randomPoolOffset++] = 0;
  return byte;
}

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
 * Returns `length` base62 characters from the platform CSPRNG (`crypto.getRandomValues`, drawn in batches),
 * using rejection sampling so every character is equally likely (log2(62) ≈ 5.954 bits each).
 */
export function randomBase62(length: number): string {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`randomBase62 expects a non-negative integer length, got ${length}`);
  }
  let out = '';
  while (out.length < length) {
    const byte = nextRandomByte();
    if (byte < UNBIASED_BYTE_LIMIT) out += BASE62_ALPHABET[byte % 62];
  }
  return out;
}
