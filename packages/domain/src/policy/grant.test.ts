import { describe, expect, it } from 'vitest';
import type { Role } from '../role/roles.ts';
import { roleCeiling } from '../role/roles.ts';
import type { Scope } from '../scope/catalogue.ts';
import { type Grantor, grantScopes, refusalOf } from './grant.ts';

const person = (role: Role): Grantor => ({
  grantable: new Set(roleCeiling(role)),
  viaToken: false,
  personRole: role,
});
const personalToken = (role: Role, holds: Scope[]): Grantor => ({
  grantable: new Set(holds.filter((scope) => roleCeiling(role).includes(scope))),
  viaToken: true,
  personRole: role,
});
const serviceToken = (holds: Scope[]): Grantor => ({
  grantable: new Set(holds),
  viaToken: true,
  personRole: null,
});
const system: Grantor = { grantable: new Set(roleCeiling('owner')), viaToken: false, personRole: null };

describe('refusalOf', () => {
  describe.each<[string, Grantor, Role | null, Scope, string | null]>([
    ['an owner, billing:write for an owner', person('owner'), 'owner', 'billing:write', null],
    [
      'an owner, billing:write for an admin',
      person('owner'),
      'admin',
      'billing:write',
      "billing:write is beyond the admin role of the token's subject",
    ],
    [
      'an admin, billing:write for itself',
      person('admin'),
      'admin',
      'billing:write',
      "billing:write is beyond the admin role of the token's subject",
    ],
    [
      'an admin, billing:write on a service token',
      person('admin'),
      null,
      'billing:write',
      'billing:write is beyond your admin role',
    ],
    ['an admin, team:write on a service token', person('admin'), null, 'team:write', null],
    ['a member, tokens:write for itself', person('member'), 'member', 'tokens:write', null],
    [
      'a viewer asked for by an owner',
      person('owner'),
      'viewer',
      'wiki:write',
      "wiki:write is beyond the viewer role of the token's subject",
    ],
    [
      'a personal token without wiki:write',
      personalToken('member', ['tokens:write', 'tokens:read']),
      'member',
      'wiki:write',
      'wiki:write is beyond what the token making this request holds within your role',
    ],
    [
      'a personal token holding wiki:write',
      personalToken('member', ['tokens:write', 'wiki:write']),
      'member',
      'wiki:write',
      null,
    ],
    [
      'a service token without audit:read',
      serviceToken(['tokens:write']),
      null,
      'audit:read',
      'audit:read is not held by the token making this request',
    ],
    [
      'a service token holding audit:read',
      serviceToken(['tokens:write', 'audit:read']),
      null,
      'audit:read',
      null,
    ],
    ['the system, billing:write for an owner', system, 'owner', 'billing:write', null],
    [
      'the system, billing:write for a member',
      system,
      'member',
      'billing:write',
      "billing:write is beyond the member role of the token's subject",
    ],
  ])('%s', (_name, grantor, subjectRole, scope, expected) => {
    it(expected === null ? 'grants it' : 'refuses it, saying why', () => {
      expect(refusalOf(scope, grantor, subjectRole)).toBe(expected);
    });
  });
});

describe('grantScopes', () => {
  it('gives the requested scopes when every one may be granted', () => {
    expect(grantScopes(['wiki:read', 'wiki:write'], person('member'), 'member')).toEqual({
      ok: true,
      scopes: ['wiki:read', 'wiki:write'],
    });
  });

  it('names every refused scope, not only the first', () => {
    expect(grantScopes(['wiki:read', 'billing:write', 'audit:read'], person('member'), 'member')).toEqual({
      ok: false,
      refused: [
        { scope: 'billing:write', reason: "billing:write is beyond the member role of the token's subject" },
        { scope: 'audit:read', reason: "audit:read is beyond the member role of the token's subject" },
      ],
    });
  });

  it.each<[string, Grantor, Role | null, Scope[]]>([
    [
      'an owner for itself',
      person('owner'),
      'owner',
      ['billing:read', 'organization:read', 'repositories:read', 'reviews:read', 'wiki:read', 'wiki:write'],
    ],
    [
      'for a viewer',
      person('owner'),
      'viewer',
      ['organization:read', 'repositories:read', 'reviews:read', 'wiki:read'],
    ],
    [
      'a token holding only wiki:read',
      personalToken('member', ['wiki:read', 'tokens:write']),
      'member',
      ['wiki:read'],
    ],
  ])('clips the default set when none are asked for: %s', (_name, grantor, subjectRole, expected) => {
    const result = grantScopes(null, grantor, subjectRole);
    expect(result.ok && [...result.scopes].sort()).toEqual([...expected].sort());
  });
});
