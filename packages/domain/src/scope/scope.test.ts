import { describe, expect, it } from 'vitest';
import { DEFAULT_SCOPES, SCOPE_NAMES, SCOPES, type Scope, ZScope } from './catalogue.ts';
import {
  impliedScopes,
  isScope,
  normalizeScopes,
  parseScopes,
  readScopeOf,
  scopeSatisfies,
} from './scopes.ts';

describe('scope catalogue', () => {
  it('lists the 17 scopes of §4 in catalogue order, each described once', () => {
    expect(SCOPES.map((scope) => scope.name)).toEqual(SCOPE_NAMES);
    expect(SCOPES).toHaveLength(17);
    for (const scope of SCOPES) {
      expect(scope.name).toBe(`${scope.resource}:${scope.access}`);
      expect(scope.description.length).toBeGreaterThan(0);
      expect(scope.category.length).toBeGreaterThan(0);
    }
  });

  it.each([
    ['organization:write', 'organization', 'write', 'Organization'],
    ['billing:read', 'billing', 'read', 'Billing'],
    ['audit:read', 'audit', 'read', 'Audit log'],
    ['tokens:write', 'tokens', 'write', 'API tokens'],
  ])('%s is %s / %s in category %s', (name, resource, access, category) => {
    expect(SCOPES.find((scope) => scope.name === name)).toMatchObject({ resource, access, category });
  });

  it('has no audit:write: the audit log is append-only', () => {
    expect(isScope('audit:write')).toBe(false);
  });

  it('defaults to the six scopes of §3', () => {
    expect(DEFAULT_SCOPES).toEqual([
      'organization:read',
      'repositories:read',
      'reviews:read',
      'billing:read',
      'wiki:read',
      'wiki:write',
    ]);
  });

  it('ZScope accepts catalogue names only', () => {
    expect(ZScope.parse('wiki:write')).toBe('wiki:write');
    expect(ZScope.safeParse('wiki:admin').success).toBe(false);
    expect(ZScope.safeParse('WIKI:READ').success).toBe(false);
  });
});

describe('parseScopes', () => {
  it.each<[string, string[], ReturnType<typeof parseScopes>]>([
    ['empty list', [], { ok: true, scopes: [] }],
    ['one scope', ['wiki:read'], { ok: true, scopes: ['wiki:read'] }],
    [
      'out-of-order with duplicates',
      ['tokens:write', 'organization:read', 'tokens:write', 'billing:read'],
      { ok: true, scopes: ['organization:read', 'billing:read', 'tokens:write'] },
    ],
    ['an unknown scope', ['wiki:read', 'wiki:admin'], { ok: false, unknown: ['wiki:admin'] }],
    [
      'several unknown ones, each reported once in input order',
      ['nope', 'wiki:read', 'Wiki:Read', 'nope', ' wiki:read', 'audit:write'],
      { ok: false, unknown: ['nope', 'Wiki:Read', ' wiki:read', 'audit:write'] },
    ],
    ['the empty string', [''], { ok: false, unknown: [''] }],
  ])('%s', (_label, input, expected) => {
    expect(parseScopes(input)).toEqual(expected);
  });
});

describe('normalizeScopes', () => {
  it('dedupes and sorts in catalogue order without adding implied reads', () => {
    expect(normalizeScopes(['wiki:write', 'audit:read', 'wiki:write', 'organization:write'])).toEqual([
      'organization:write',
      'audit:read',
      'wiki:write',
    ]);
  });
});

describe('readScopeOf and impliedScopes', () => {
  it.each<[Scope, Scope | undefined]>([
    ['wiki:write', 'wiki:read'],
    ['billing:write', 'billing:read'],
    ['wiki:read', undefined],
    ['audit:read', undefined],
  ])('the read included by %s is %s', (scope, read) => {
    expect(readScopeOf(scope)).toBe(read);
  });

  it('adds x:read for every x:write and nothing else', () => {
    expect(impliedScopes(['wiki:write', 'tokens:write', 'audit:read'])).toEqual(
      new Set(['wiki:write', 'wiki:read', 'tokens:write', 'tokens:read', 'audit:read']),
    );
    expect(impliedScopes([])).toEqual(new Set());
  });
});

describe('scopeSatisfies', () => {
  it.each<[Scope[], Scope, boolean]>([
    [['wiki:read'], 'wiki:read', true],
    [['wiki:write'], 'wiki:read', true],
    [['wiki:write'], 'wiki:write', true],
    [['wiki:read'], 'wiki:write', false],
    [['tokens:write'], 'wiki:read', false],
    [['organization:write'], 'repositories:read', false],
    [[], 'organization:read', false],
    [['audit:read'], 'audit:read', true],
  ])('granted %j, required %s → %s', (granted, required, expected) => {
    expect(scopeSatisfies(granted, required)).toBe(expected);
    expect(scopeSatisfies(new Set(granted), required)).toBe(expected);
  });
});
