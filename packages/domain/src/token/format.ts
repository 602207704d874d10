import { z } from 'zod';

/** A personal token acts as its subject user; a service token belongs to the organisation. */
export type TokenKind = 'personal' | 'service';

export const TOKEN_KINDS = ['personal', 'service'] as const satisfies readonly TokenKind[];

/** The letter after the prefix that tells a reader (and a secret scanner) what kind of token it is. */
export const TOKEN_KIND_LETTER = { personal: 'p', service: 's' } as const satisfies Record<TokenKind, string>;

export const DEFAULT_TOKEN_PREFIX = 'tg';

export interface TokenPrefixOptions {
  /** Token prefix (`TOKEN_PREFIX`); defaults to `tg`. */
  prefix?: string;
}

/** 30 base62 characters ≈ 178.6 bits from the CSPRNG. */
export const TOKEN_SECRET_LENGTH = 30;

/** CRC32 needs 6 base62 characters (62^6 > 2^32). */
export const TOKEN_CHECKSUM_LENGTH = 6;

/** How much of a token lists and logs may show: enough to recognise it, far too little to use it. */
export const TOKEN_DISPLAY_PREFIX_LENGTH = 12;

/** What a token prefix may be, as a fragment to build patterns from. */
const PREFIX_FRAGMENT = '[a-z][a-z0-9]{1,9}';
const TOKEN_PREFIX_SYNTAX = new RegExp(`^${PREFIX_FRAGMENT}$`);

/** A configurable token prefix (`TOKEN_PREFIX`): a lowercase letter then 1–9 lowercase letters or digits. */
export const ZTokenPrefix = z.string().regex(TOKEN_PREFIX_SYNTAX, {
  error: 'A token prefix is 2 to 10 lowercase letters or digits, starting with a letter',
});

/** Whether `prefix` may be used as a token prefix. */
export function isValidTokenPrefix(prefix: string): boolean {
  return TOKEN_PREFIX_SYNTAX.test(prefix);
}

/**
 * Throws when `prefix` is not a valid token prefix. The prefix is configuration, so a bad one is a
 * programming or deployment error rather than user input; it is also spliced into regular expressions,
 * which is only safe because the syntax admits no metacharacters.
 */
export function assertTokenPrefix(prefix: string): void {
  if (!isValidTokenPrefix(prefix)) {
    throw new TypeError(
      `Invalid token prefix ${JSON.stringify(prefix)}: expected ${TOKEN_PREFIX_SYNTAX.source}`,
    );
  }
}

/** Total length of a token with the given prefix: prefix, kind letter, `_`, secret, checksum. */
export function tokenLength(prefix: string = DEFAULT_TOKEN_PREFIX): number {
  return prefix.length + 2 + TOKEN_SECRET_LENGTH + TOKEN_CHECKSUM_LENGTH;
}

/**
 * A fresh global RegExp that finds tokens with the given prefix in arbitrary text, for secret scanners and
 * log redaction. For the default prefix the source is exactly
 *
 *     \btg[ps]_[0-9A-Za-z]{36}\b
 *
 * (36 = 30 secret + 6 checksum characters). A match is only a candidate: confirm it with `parseToken`,
 * whose checksum check removes nearly all false positives. A new RegExp is returned on each call because
 * global regular expressions carry `lastIndex` state between `exec`/`test` calls.
 */
export function tokenPattern(prefix: string = DEFAULT_TOKEN_PREFIX): RegExp {
  assertTokenPrefix(prefix);
  return tokenRegExp(prefix);
}

/**
 * Like {@link tokenPattern}, but for tokens of ANY valid prefix (`\b[a-z][a-z0-9]{1,9}[ps]_[0-9A-Za-z]{36}\b`):
 * what log redaction needs, since a log may quote a token of another deployment (another TOKEN_PREFIX).
 */
export function anyTokenPattern(): RegExp {
  return tokenRegExp(PREFIX_FRAGMENT);
}

function tokenRegExp(prefixSource: string): RegExp {
  return new RegExp(
    `\\b${prefixSource}[ps]_[0-9A-Za-z]{${TOKEN_SECRET_LENGTH + TOKEN_CHECKSUM_LENGTH}}\\b`,
    'g',
  );
}

/**
 * `/\btg[ps]_[0-9A-Za-z]{36}\b/g`: tokens with the default prefix. Being global, it keeps `lastIndex`
 * between `test`/`exec` calls; prefer `text.matchAll(TOKEN_PATTERN)` or `text.replace(TOKEN_PATTERN, …)`,
 * which do not depend on it, or call `tokenPattern()` for a private copy.
 */
export const TOKEN_PATTERN: RegExp = tokenPattern(DEFAULT_TOKEN_PREFIX);

/** The displayable start of a token (first 12 characters), as stored in `prefix` and shown in lists. */
export function tokenDisplayPrefix(token: string): string {
  return token.slice(0, TOKEN_DISPLAY_PREFIX_LENGTH);
}
