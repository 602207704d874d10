import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ID_PREFIXES, type IdKind, idKindOf, newId, ZId } from './ids.ts';

const KINDS = Object.keys(ID_PREFIXES) as IdKind[];

describe('newId', () => {
  it.each(Object.entries(ID_PREFIXES))(
    'a %s id starts with %s_ and has a 22-character base62 body',
    (kind, prefix) => {
      const id = newId(kind as IdKind);
      expect(id).toMatch(new RegExp(`^${prefix}_[0-9A-Za-z]{22}$`));
      expect(idKindOf(id)).toBe(kind);
    },
  );

  it('uses distinct prefixes', () => {
    expect(new Set(Object.values(ID_PREFIXES)).size).toBe(KINDS.length);
  });

  it('sorts by creation time as plain strings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        (a, b) => {
          fc.pre(a !== b);
          expect(newId('token', a) < newId('token', b)).toBe(a < b);
        },
      ),
    );
  });

  it('encodes the time as given', () => {
    expect(newId('token', new Date(0)).slice(4, 12)).toBe('00000000');
    expect(newId('token', 62).slice(4, 12)).toBe('00000010');
  });

  it('does not repeat within one millisecond', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('audit', 1_700_000_000_000)));
    expect(ids.size).toBe(10_000);
  });
});

describe('idKindOf', () => {
  it.each([
    ['tok_0000000000000000000000', 'token'],
    ['org_zzzzzzzzzzzzzzzzzzzzzz', 'organization'],
    ['xyz_0000000000000000000000', null],
    ['tok_000000000000000000000', null],
    ['tok_0000000000000000000000x', null],
    ['tok-0000000000000000000000', null],
    ['tok_00000000000000000000-0', null],
    ['', null],
  ])('%s → %s', (id, expected) => {
    expect(idKindOf(id)).toBe(expected);
  });
});

describe('ZId', () => {
  it('accepts ids of its kind and refuses others with a message naming the kind', () => {
    expect(ZId('user').parse(newId('user'))).toMatch(/^usr_/);
    const result = ZId('user').safeParse(newId('organization'));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('Expected a user id (usr_…)');
    expect(ZId('token').safeParse('tok_short').success).toBe(false);
  });
});
