import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.ts';

// Expected values computed independently with Node's zlib.crc32 over Buffer.from(s, 'utf8').
describe('crc32', () => {
  it.each([
    ['123456789', 0xcbf43926],
    ['', 0],
    ['a', 0xe8b7be43],
    ['héllo wörld', 0x151d5fb9],
    ['€', 0x83f2c8d6],
    ['😀 emoji', 0xe55c28af],
    ['lone \ud800 x', 0x5981a82d],
  ])('crc32(%j) = %i', (input, expected) => {
    expect(crc32(input)).toBe(expected);
  });

  it('gives the same result for a string and its UTF-8 bytes', () => {
    const text = 'tgp_ünïcödé 😀';
    expect(crc32(new TextEncoder().encode(text))).toBe(crc32(text));
  });

  it('covers only the first `end` characters when asked', () => {
    expect(crc32('123456789xyz', 9)).toBe(0xcbf43926);
    expect(crc32(new TextEncoder().encode('123456789xyz'), 9)).toBe(0xcbf43926);
  });

  it('returns an unsigned 32-bit integer', () => {
    const value = crc32('abc');
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(0xffffffff);
    expect(Number.isInteger(value)).toBe(true);
  });
});
