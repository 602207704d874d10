import { describe, expect, it } from 'vitest';
import type { Scope } from '../scope/catalogue.ts';
import {
  canManageOthersTokens,
  clipScopesToRole,
  effectiveScopes,
  ROLE_CEILINGS,
  ROLES,
  type Role,
  roleAllows,
  roleAtLeast,
  roleCeiling,
  ZRole,
} from './roles.ts';

// §2 written out by hand: which role may hold which scope. [owner, admin, member, viewer]
const MATRIX: [Scope, boolean, boolean, boolean, boolean][] = [
  ['organization:read', true, true, true, true],
  ['organization:write', true, true, false, false],
  ['repositories:read', true, true, true, true],
  ['repositories:write', true, true, false, false],
  ['reviews:read', true, true, true, true],
  ['reviews:write', true, true, true, false],
  ['billing:read', true, true, true, false],
  ['billing:write', true, false, false, false],
  ['team:read', true, true, true, true],
  ['team:write', true, true, false, false],
  ['webhooks:read', true, true, true, true],
  ['webhooks:write', true, true, false, false],
  ['audit:read', true, true, false, false],
  ['wiki:read', true, true, true, true],
  ['wiki:write', true, true, true, false],
  ['tokens:read', true, true, true, true],
  ['tokens:write', true, true, true, false],
];

describe('role ceilings (§2)', () => {
  it('cover every scope in the matrix', () => {
    expect(MATRIX).toHaveLength(17);
  });

  describe.each(MATRIX)('%s', (scope, owner, admin, member, viewer) => {
    it.each<[Role, boolean]>([
      ['owner', owner],
      ['admin', admin],
      ['member', member],
      ['viewer', viewer],
    ])('%s may hold it: %s', (role, expected) => {
      expect(roleAllows(role, scope)).toBe(expected);
      expect(roleCeiling(role).includes(scope)).toBe(expected);
    });
  });

  it.each(ROLES)('%s: every write in the ceiling comes with its read, so intersection is enough', (role) => {
    const ceiling = ROLE_CEILINGS[role];
    for (const scope of ceiling) {
      if (scope.endsWith(':write')) expect(ceiling).toContain(scope.replace(':write', ':read'));
    }
  });

  it('ceilings grow with rank', () => {
    for (const [lower, higher] of [
      ['viewer', 'member'],
      ['member', 'admin'],
      ['admin', 'owner'],
    ] as const) {
      for (const scope of ROLE_CEILINGS[lower]) expect(ROLE_CEILINGS[higher]).toContain(scope);
    }
  });

  it('cannot be mutated by a careless caller', () => {
    expect(() => (ROLE_CEILINGS.viewer as Scope[]).push('billing:write')).toThrow(TypeError);
  });
});

describe('ZRole', () => {
  it('accepts the four roles only', () => {
    for (const role of ROLES) expect(ZRole.parse(role)).toBe(role);
    expect(ZRole.safeParse('superuser').success).toBe(false);
    expect(ZRole.safeParse('Owner').success).toBe(false);
  });
});

describe('roleAtLeast', () => {
  it.each<[Role, Role, boolean]>([
    ['owner', 'admin', true],
    ['admin', 'admin', true],
    ['member', 'admin', false],
    ['viewer', 'viewer', true],
    ['viewer', 'member', false],
    ['admin', 'owner', false],
  ])('%s at least %s: %s', (role, min, expected) => {
    expect(roleAtLeast(role, min)).toBe(expected);
  });
});

describe('canManageOthersTokens', () => {
  it.each<[Role, boolean]>([
    ['owner', true],
    ['admin', true],
    ['member', false],
    ['viewer', false],
  ])('%s: %s', (role, expected) => {
    expect(canManageOthersTokens(role)).toBe(expected);
  });
});

describe('clipScopesToRole', () => {
  it.each<[string, Scope[], Role, { allowed: Scope[]; refused: Scope[] }]>([
    [
      'the default set for a viewer',
      ['organization:read', 'repositories:read', 'reviews:read', 'billing:read', 'wiki:read', 'wiki:write'],
      'viewer',
      {
        allowed: ['organization:read', 'repositories:read', 'reviews:read', 'wiki:read'],
        refused: ['billing:read', 'wiki:write'],
      },
    ],
    [
      'billing:write for an admin',
      ['billing:write', 'team:write'],
      'admin',
      { allowed: ['team:write'], refused: ['billing:write'] },
    ],
    [
      'anything for an owner',
      ['billing:write', 'audit:read'],
      'owner',
      { allowed: ['billing:write', 'audit:read'], refused: [] },
    ],
    [
      'duplicates and order for a member',
      ['tokens:write', 'audit:read', 'tokens:write', 'reviews:write'],
      'member',
      { allowed: ['reviews:write', 'tokens:write'], refused: ['audit:read'] },
    ],
  ])('%s', (_label, scopes, role, expected) => {
    expect(clipScopesToRole(scopes, role)).toEqual(expected);
  });
});

describe('effectiveScopes', () => {
  it.each<[string, Parameters<typeof effectiveScopes>[0], Scope[]]>([
    [
      'personal: cut to the subject ceiling, keeping the read of a refused write',
      { type: 'personal', subjectRole: 'member', tokenScopes: ['audit:read', 'wiki:read', 'team:write'] },
      ['team:read', 'wiki:read'],
    ],
    [
      'personal: wiki:write under a viewer keeps wiki:read',
      { type: 'personal', subjectRole: 'viewer', tokenScopes: ['wiki:write'] },
      ['wiki:read'],
    ],
    [
      'personal: a write within the ceiling lists its read too',
      { type: 'personal', subjectRole: 'member', tokenScopes: ['wiki:write'] },
      ['wiki:read', 'wiki:write'],
    ],
    [
      'personal: a demoted admin loses admin scopes at once',
      {
        type: 'personal',
        subjectRole: 'viewer',
        tokenScopes: ['organization:write', 'audit:read', 'team:read'],
      },
      ['organization:read', 'team:read'],
    ],
    [
      'personal: a subject who is no longer a member has nothing',
      { type: 'personal', subjectRole: null, tokenScopes: ['wiki:read'] },
      [],
    ],
    [
      'service: the token scopes, whatever role is passed',
      { type: 'service', subjectRole: 'viewer', tokenScopes: ['billing:write', 'audit:read'] },
      ['billing:read', 'billing:write', 'audit:read'],
    ],
    [
      'service: without a subject',
      { type: 'service', tokenScopes: ['team:write'] },
      ['team:read', 'team:write'],
    ],
  ])('%s', (_label, input, expected) => {
    expect(effectiveScopes(input)).toEqual(expected);
  });
});
