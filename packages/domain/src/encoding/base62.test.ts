import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { BASE62_ALPHABET, decodeBase62, encodeBase62Fixed, randomBase62 } from './base62.ts';

describe('encodeBase62Fixed', () => {
  it.each([
    [0, 1, '0'],
    [0, 4, '0000'],
    [61, 1, 'z'],
    [62, 2, '10'],
    [62, 6, '000010'],
    [0xcbf43926, 6, '3jZRME'],
    [0xffffffff, 6, '4gfFC3'],
    [62 ** 6 - 1, 6, 'zzzzzz'],
  ])('encodes %d in %d characters as %s', (n, width, expected) => {
    expect(encodeBase62Fixed(n, width)).toBe(expected);
  });

  it.each([
    [62, 1],
    [62 ** 6, 6],
    [-1, 6],
    [1.5, 6],
    [Number.MAX_SAFE_INTEGER + 1, 12],
  ])('refuses %d in %d characters rather than truncating', (n, width) => {
    expect(() => encodeBase62Fixed(n, width)).toThrow(RangeError);
  });

  it('round-trips through decodeBase62 and preserves numeric order as string order', () => {
    fc.assert(
      fc.property(fc.nat({ max: 62 ** 8 - 1 }), fc.nat({ max: 62 ** 8 - 1 }), (a, b) => {
        const ea = encodeBase62Fixed(a, 8);
        const eb = encodeBase62Fixed(b, 8);
        expect(decodeBase62(ea)).toBe(a);
        // Plain string comparison (code unit order), as a database index on the id column would sort.
        expect(ea < eb).toBe(a < b);
      }),
    );
  });
});

describe('decodeBase62', () => {
  it('returns -1 for characters outside the alphabet', () => {
    expect(decodeBase62('ab-c')).toBe(-1);
    expect(decodeBase62('ab_c')).toBe(-1);
  });

  it('decodes a sub-range without slicing', () => {
    expect(decodeBase62('xx10yy', 2, 4)).toBe(62);
  });
});

describe('randomBase62', () => {
  it('returns exactly the requested number of alphabet characters', () => {
    for (const length of [0, 1, 30, 63, 64, 65, 500]) {
      const value = randomBase62(length);
      expect(value).toHaveLength(length);
      expect(value).toMatch(/^[0-9A-Za-z]*$/);
    }
  });

  it('uses every character with roughly equal frequency (no modulo bias)', () => {
    const sample = randomBase62(62 * 2000);
    const counts = new Map<string, number>();
    for (const char of sample) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // Chi-squared with 61 degrees of freedom: p < 1e-6 above ~130. Modulo bias on bytes would push the first
    // eight characters to ~1.24× the others and the statistic far beyond that.
    const expected = sample.length / 62;
    let chiSquared = 0;
    for (const char of BASE62_ALPHABET) chiSquared += ((counts.get(char) ?? 0) - expected) ** 2 / expected;
    expect(chiSquared).toBeLessThan(130);
  });

  it('draws from the CSPRNG in batches, never handing out a byte twice', () => {
    const draw = vi.spyOn(globalThis.crypto, 'getRandomValues');
    try {
      // 1,000 ids' worth of randomness (14 characters each) in a handful of calls, not one call per id.
      const values = Array.from({ length: 1_000 }, () => randomBase62(14));
      expect(draw.mock.calls.length).toBeLessThanOrEqual(5);
      expect(new Set(values).size).toBe(values.length);
    } finally {
      draw.mockRestore();
    }
  });

  it('refuses a negative or fractional length', () => {
    expect(() => randomBase62(-1)).toThrow(RangeError);
    expect(() => randomBase62(2.5)).toThrow(RangeError);
  });
});
