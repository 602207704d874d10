import { describe, expect, it } from 'vitest';
import { isTollgateError } from '../error/errors.ts';
import { CURSOR_ID, CURSOR_MICROS, CURSOR_TIMESTAMPTZ, decodeCursor, encodeCursor } from './cursor.ts';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return isTollgateError(error) ? error.code : 'not a TollgateError';
  }
  return undefined;
};

describe('list cursors', () => {
  it('round-trips its parts, non-ASCII included, in the base64url of their JSON (as Buffer wrote it)', () => {
    const parts = ['1767225600000000', 'tok_0123456789abcdefABCDEF', 'wiki/é😀'];
    const cursor = encodeCursor(parts);
    expect(cursor).toBe(Buffer.from(JSON.stringify(parts)).toString('base64url'));
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, [CURSOR_MICROS, CURSOR_ID, /^.+$/u])).toEqual(parts);
  });

  it.each<[string, string, RegExp[]]>([
    ['not base64url JSON', 'not a cursor!', [CURSOR_MICROS]],
    ['a JSON object', Buffer.from('{"a":1}').toString('base64url'), [CURSOR_MICROS]],
    ['too few parts', encodeCursor(['1']), [CURSOR_MICROS, CURSOR_ID]],
    ['a part that is not a string', Buffer.from('[1]').toString('base64url'), [CURSOR_MICROS]],
    ['a part its pattern refuses (SQL)', encodeCursor(["1'; drop table tokens; --"]), [CURSOR_MICROS]],
    ['a timestamp not as PostgreSQL prints it', encodeCursor(['yesterday']), [CURSOR_TIMESTAMPTZ]],
    ['invalid UTF-8', Buffer.from([0x5b, 0x22, 0xff, 0x22, 0x5d]).toString('base64url'), [/^[\s\S]*$/]],
  ])('refuses %s with VALIDATION_FAILED', (_name, cursor, patterns) => {
    expect(codeOf(() => decodeCursor(cursor, patterns))).toBe('VALIDATION_FAILED');
  });

  it('accepts a timestamptz as PostgreSQL prints it', () => {
    const parts = ['2026-11-23 13:23:31.123456+00', 'usr_x'];
    expect(decodeCursor(encodeCursor(parts), [CURSOR_TIMESTAMPTZ, /^[\s\S]*$/])).toEqual(parts);
  });
});
