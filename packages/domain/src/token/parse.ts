import { decodeBase62 } from '../encoding/base62.ts';
import { crc32 } from '../encoding/crc32.ts';
import {
  assertTokenPrefix,
  DEFAULT_TOKEN_PREFIX,
  TOKEN_CHECKSUM_LENGTH,
  TOKEN_SECRET_LENGTH,
  type TokenKind,
  type TokenPrefixOptions,
  tokenLength,
} from './format.ts';

export type ParseTokenResult =
  | { ok: true; kind: TokenKind; token: string }
  | { ok: false; reason: 'format' | 'checksum' };

interface TokenShape {
  prefixLength: number;
  length: number;
  syntax: RegExp;
}

// Failures are shared frozen objects: a flood of bad tokens should not also be a flood of allocations.
const FORMAT_FAILURE: ParseTokenResult = Object.freeze({ ok: false, reason: 'format' });
const CHECKSUM_FAILURE: ParseTokenResult = Object.freeze({ ok: false, reason: 'checksum' });
const LETTER_P = 0x70;

const shapes = new Map<string, TokenShape>();
const defaultShape = shapeFor(DEFAULT_TOKEN_PREFIX);

function shapeFor(prefix: string): TokenShape {
  let shape = shapes.get(prefix);
  if (shape) return shape;
  assertTokenPrefix(prefix);
  shape = {
    prefixLength: prefix.length,
    length: tokenLength(prefix),
    syntax: new RegExp(`^${prefix}[ps]_[0-9A-Za-z]{${TOKEN_SECRET_LENGTH + TOKEN_CHECKSUM_LENGTH}}$`),
  };
  shapes.set(prefix, shape);
  return shape;
}

/**
 * Checks a presented token's shape and checksum without any I/O, so that garbage and typos are refused
 * before a database lookup. `reason: 'format'` covers a wrong prefix, wrong length or a character outside
 * base62; `'checksum'` a well-formed token whose last 6 characters do not match the CRC32 of the rest.
 * Throws only when the configured `prefix` itself is invalid.
 */
export function parseToken(input: string, options?: TokenPrefixOptions): ParseTokenResult {
  const prefix = options?.prefix;
  const shape = prefix === undefined || prefix === DEFAULT_TOKEN_PREFIX ? defaultShape : shapeFor(prefix);
  if (typeof input !== 'string' || input.length !== shape.length || !shape.syntax.test(input)) {
    return FORMAT_FAILURE;
  }
  const checksumStart = shape.length - TOKEN_CHECKSUM_LENGTH;
  if (decodeBase62(input, checksumStart, shape.length) !== crc32(input, checksumStart)) {
    return CHECKSUM_FAILURE;
  }
  const kind: TokenKind = input.charCodeAt(shape.prefixLength) === LETTER_P ? 'personal' : 'service';
  return { ok: true, kind, token: input };
}
