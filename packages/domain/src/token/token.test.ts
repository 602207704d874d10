import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE62_ALPHABET } from '../encoding/base62.ts';
import { tokenChecksum } from './checksum.ts';
import {
  anyTokenPattern,
  DEFAULT_TOKEN_PREFIX,
  isValidTokenPrefix,
  TOKEN_DISPLAY_PREFIX_LENGTH,
  TOKEN_PATTERN,
  type TokenKind,
  tokenDisplayPrefix,
  tokenPattern,
} from './format.ts';
import { newToken } from './generate.ts';
import { hashToken } from './hash.ts';
import { parseToken } from './parse.ts';

// Computed independently at authoring time with Node: zlib.crc32 for the checksum (then base62 by hand)
// and crypto.createHash('sha256') for the hash.
const GOLDEN = [
  {
    body: 'tgp_0123456789abcdefghijABCDEFGHIJ',
    checksum: '0skqP1',
    kind: 'personal',
    prefix: 'tg',
    sha256: '098664711b34732484b66741d28141d0814502b26203bf43a3efe4d1e20e5426',
  },
  {
    body: 'tgs_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz',
    checksum: '42xLNI',
    kind: 'service',
    prefix: 'tg',
    sha256: 'ddc85babf8704512562b544a75f92b8b12c119c9f1bbe62f85fe50c9e7309626',
  },
  {
    body: 'acmep_Q7mX2bK9vR4tL8nW1cY6zH3pF5sD0g',
    checksum: '34uQ5d',
    kind: 'personal',
    prefix: 'acme',
    sha256: '5625ad1d5884335fba594df35d545d07184d6ead2e059ffc282040439c3eebc7',
  },
] as const;

const kindArbitrary = fc.constantFrom<TokenKind>('personal', 'service');

describe('golden tokens', () => {
  it.each(GOLDEN)('$body has checksum $checksum, parses, and hashes to the known SHA-256', (golden) => {
    const token = golden.body + golden.checksum;
    expect(tokenChecksum(golden.body)).toBe(golden.checksum);
    expect(parseToken(token, { prefix: golden.prefix })).toEqual({ ok: true, kind: golden.kind, token });
    expect(hashToken(token)).toBe(golden.sha256);
  });
});

describe('newToken', () => {
  it.each([
    ['personal', 'tgp_'],
    ['service', 'tgs_'],
  ] as const)(
    'a %s token starts with %s, is 40 characters, and comes with its hash and display prefix',
    (kind, start) => {
      const { token, hash, prefix } = newToken(kind);
      expect(token.startsWith(start)).toBe(true);
      expect(token).toHaveLength(40);
      expect(token).toMatch(/^tg[ps]_[0-9A-Za-z]{36}$/);
      expect(hash).toBe(hashToken(token));
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(prefix).toBe(token.slice(0, 12));
      expect(prefix).toHaveLength(TOKEN_DISPLAY_PREFIX_LENGTH);
    },
  );

  it('uses a configured prefix', () => {
    const { token } = newToken('service', { prefix: 'acme' });
    expect(token).toMatch(/^acmes_[0-9A-Za-z]{36}$/);
    expect(parseToken(token, { prefix: 'acme' }).ok).toBe(true);
    expect(parseToken(token).ok).toBe(false);
  });

  it.each(['', 't', 'TG', '1tg', 'tg_', 'tg-x', 'abcdefghijk', 'tg.*'])(
    'refuses the invalid prefix %j',
    (prefix) => {
      expect(isValidTokenPrefix(prefix)).toBe(false);
      expect(() => newToken('personal', { prefix })).toThrow(TypeError);
      expect(() => parseToken('tgp_x', { prefix })).toThrow(TypeError);
      expect(() => tokenPattern(prefix)).toThrow(TypeError);
    },
  );

  it('never repeats in 100,000 tokens', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(newToken('personal').token);
    expect(seen.size).toBe(100_000);
  });
});

describe('parseToken', () => {
  it('accepts every generated token with the right kind', () => {
    fc.assert(
      fc.property(kindArbitrary, fc.constantFrom('tg', 'acme', 'x1', 'abcdefghij'), (kind, prefix) => {
        const { token } = newToken(kind, { prefix });
        expect(parseToken(token, { prefix })).toEqual({ ok: true, kind, token });
      }),
      { numRuns: 500 },
    );
  });

  it('rejects every single-character substitution in the secret or checksum', () => {
    fc.assert(
      fc.property(
        kindArbitrary,
        fc.nat({ max: 35 }),
        fc.constantFrom(...BASE62_ALPHABET),
        (kind, offset, replacement) => {
          const { token } = newToken(kind);
          const position = 4 + offset;
          fc.pre(token[position] !== replacement);
          const tampered = token.slice(0, position) + replacement + token.slice(position + 1);
          expect(parseToken(tampered)).toEqual({ ok: false, reason: 'checksum' });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects every single-character substitution at every position, exhaustively for one token', () => {
    const { token } = newToken('personal');
    const characters = `${BASE62_ALPHABET}_-. `;
    for (let position = 0; position < token.length; position++) {
      for (const replacement of characters) {
        if (token[position] === replacement) continue;
        const tampered = token.slice(0, position) + replacement + token.slice(position + 1);
        expect(parseToken(tampered).ok, `${position}:${replacement}`).toBe(false);
      }
    }
  });

  it('rejects a token whose kind letter was flipped (the checksum covers it)', () => {
    fc.assert(
      fc.property(kindArbitrary, (kind) => {
        const { token } = newToken(kind);
        const flipped = `tg${kind === 'personal' ? 's' : 'p'}${token.slice(3)}`;
        expect(parseToken(flipped)).toEqual({ ok: false, reason: 'checksum' });
      }),
    );
  });

  const valid = newToken('personal').token;
  it.each([
    ['empty', ''],
    ['wrong prefix', `gh${valid.slice(2)}`],
    ['unknown kind letter', `tgx${valid.slice(3)}`],
    ['missing underscore', `tgp-${valid.slice(4)}`],
    ['one character short', valid.slice(0, -1)],
    ['one character long', `${valid}a`],
    ['leading space', ` ${valid.slice(1)}`],
    ['trailing newline', `${valid.slice(0, -1)}\n`],
    ['non-base62 character', `${valid.slice(0, 10)}-${valid.slice(11)}`],
    ['non-ASCII character', `${valid.slice(0, 10)}é${valid.slice(11)}`],
    ['Bearer scheme left in', `Bearer ${valid}`],
  ])('reports %s as a format error', (_label, input) => {
    expect(parseToken(input)).toEqual({ ok: false, reason: 'format' });
  });

  it('reports a well-formed token with a wrong checksum as a checksum error', () => {
    const body = GOLDEN[0].body;
    expect(parseToken(`${body}000000`)).toEqual({ ok: false, reason: 'checksum' });
    // "zzzzzz" decodes above 2^32, so it can never equal a CRC32.
    expect(parseToken(`${body}zzzzzz`)).toEqual({ ok: false, reason: 'checksum' });
  });

  it('does not throw on non-string input arriving from untyped callers', () => {
    expect(parseToken(undefined as unknown as string)).toEqual({ ok: false, reason: 'format' });
  });
});

describe('hashToken', () => {
  it('is deterministic and differs for tokens differing in one character', () => {
    const token = GOLDEN[0].body + GOLDEN[0].checksum;
    expect(hashToken(token)).toBe(hashToken(`${token}`));
    expect(hashToken(`${token.slice(0, -1)}2`)).not.toBe(hashToken(token));
  });
});

describe('tokenDisplayPrefix', () => {
  it('is the first 12 characters', () => {
    expect(tokenDisplayPrefix('tgp_0123456789abcdefghijABCDEFGHIJ0skqP1')).toBe('tgp_01234567');
  });
});

describe('tokenPattern', () => {
  it('documents the default pattern exactly', () => {
    expect(TOKEN_PATTERN.source).toBe('\\btg[ps]_[0-9A-Za-z]{36}\\b');
    expect(TOKEN_PATTERN.flags).toBe('g');
    expect(tokenPattern().source).toBe(TOKEN_PATTERN.source);
    expect(tokenPattern('acme').source).toBe('\\bacme[ps]_[0-9A-Za-z]{36}\\b');
  });

  it('finds tokens embedded in text', () => {
    fc.assert(
      fc.property(
        fc.array(kindArbitrary, { minLength: 1, maxLength: 5 }),
        fc.constantFrom(' ', '\n', '"', "'", '=', ': ', ',', '(', '`'),
        (kinds, separator) => {
          const tokens = kinds.map((kind) => newToken(kind).token);
          const text = `Authorization${separator}${tokens.join(`${separator}and${separator}`)}${separator}end`;
          expect([...text.matchAll(TOKEN_PATTERN)].map((match) => match[0])).toEqual(tokens);
        },
      ),
    );
  });

  it('does not match a token with an extra character appended or prepended', () => {
    fc.assert(
      fc.property(kindArbitrary, fc.constantFrom(...BASE62_ALPHABET, '_'), (kind, extra) => {
        const { token } = newToken(kind);
        expect(`see ${token}${extra} here`.match(tokenPattern())).toBeNull();
        expect(`see ${extra}${token} here`.match(tokenPattern())).toBeNull();
      }),
    );
  });

  it('does not match tokens of another prefix', () => {
    const { token } = newToken('personal', { prefix: 'acme' });
    expect(token.match(tokenPattern(DEFAULT_TOKEN_PREFIX))).toBeNull();
    expect(token.match(tokenPattern('acme'))).toEqual([token]);
  });

  it('anyTokenPattern finds tokens of every valid prefix, and nothing tokenPattern would refuse', () => {
    expect(anyTokenPattern().source).toBe('\\b[a-z][a-z0-9]{1,9}[ps]_[0-9A-Za-z]{36}\\b');
    fc.assert(
      fc.property(kindArbitrary, fc.stringMatching(/^[a-z][a-z0-9]{1,9}$/), (kind, prefix) => {
        const { token } = newToken(kind, { prefix });
        expect(`x ${token} y`.match(anyTokenPattern())).toEqual([token]);
        expect(`x ${token}0 y`.match(anyTokenPattern())).toBeNull();
      }),
    );
    expect(`x tgq_${'a'.repeat(36)} y`.match(anyTokenPattern())).toBeNull();
  });

  it('returns a fresh RegExp each time, so lastIndex state is never shared', () => {
    expect(tokenPattern()).not.toBe(tokenPattern());
  });
});
