import { DEFAULT_SCOPES, type Role, roleAllows, type Scope } from '@tollgate/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestHarness,
  type SeededOrganization,
  type TestHarness,
} from '../../../test/helpers/harness.ts';
import { callerAs, codeOf } from './test-helpers.ts';

let harness: TestHarness;
let org: SeededOrganization;
const callers = {} as Record<Role, Awaited<ReturnType<typeof callerAs>>>;

beforeAll(async () => {
  harness = await createTestHarness();
  org = await harness.seedOrganization();
  for (const role of ['owner', 'admin', 'member', 'viewer'] as const)
    callers[role] = await callerAs(harness, org, role);
});
afterAll(async () => {
  await harness?.close();
});

type Kind = 'self' | 'on behalf of a viewer' | 'service';
type Request = 'default' | 'repositories:read' | 'team:write' | 'billing:write' | 'unknown';

/** Scopes sent for each request column; `default` sends none. */
const REQUESTED: Record<Request, string[] | undefined> = {
  default: undefined,
  'repositories:read': ['repositories:read'],
  'team:write': ['team:write'],
  'billing:write': ['billing:write'],
  unknown: ['repositories:read', 'repositories:admin'],
};

// Expected outcome per creator role × token kind, in the column order of REQUESTED. A viewer's role
// ceiling has no tokens:write, so every create is refused before its input is even looked at.
const ALL_INSUFFICIENT = [
  'INSUFFICIENT_SCOPE',
  'INSUFFICIENT_SCOPE',
  'INSUFFICIENT_SCOPE',
  'INSUFFICIENT_SCOPE',
  'INSUFFICIENT_SCOPE',
];
const MATRIX: Record<Role, Record<Kind, string[]>> = {
  owner: {
    self: ['OK', 'OK', 'OK', 'OK', 'UNKNOWN_SCOPE'],
    'on behalf of a viewer': ['OK', 'OK', 'FORBIDDEN', 'FORBIDDEN', 'UNKNOWN_SCOPE'],
    service: ['OK', 'OK', 'OK', 'OK', 'UNKNOWN_SCOPE'],
  },
  admin: {
    self: ['OK', 'OK', 'OK', 'FORBIDDEN', 'UNKNOWN_SCOPE'],
    'on behalf of a viewer': ['OK', 'OK', 'FORBIDDEN', 'FORBIDDEN', 'UNKNOWN_SCOPE'],
    service: ['OK', 'OK', 'OK', 'FORBIDDEN', 'UNKNOWN_SCOPE'],
  },
  member: {
    self: ['OK', 'OK', 'FORBIDDEN', 'FORBIDDEN', 'UNKNOWN_SCOPE'],
    'on behalf of a viewer': ['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'UNKNOWN_SCOPE'],
    service: ['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'UNKNOWN_SCOPE'],
  },
  viewer: { self: ALL_INSUFFICIENT, 'on behalf of a viewer': ALL_INSUFFICIENT, service: ALL_INSUFFICIENT },
};

const cases = (Object.keys(MATRIX) as Role[]).flatMap((role) =>
  (Object.keys(MATRIX[role]) as Kind[]).flatMap((kind) =>
    (Object.keys(REQUESTED) as Request[]).map((request, column) => ({
      role,
      kind,
      request,
      expected: MATRIX[role][kind][column] as string,
    })),
  ),
);

describe('who may create what: creator role × token kind × requested scopes', () => {
  it.each(cases)(
    '$role creating a $kind token with $request scopes → $expected',
    async ({ role, kind, request, expected }) => {
      const subjectRole: Role | null = kind === 'service' ? null : kind === 'self' ? role : 'viewer';
      const result = callers[role].tokens.create({
        name: `${role} ${kind} ${request}`,
        type: kind === 'service' ? 'service' : 'personal',
        ...(kind === 'on behalf of a viewer' ? { subjectUserId: org.users.viewer.id } : {}),
        ...(REQUESTED[request] ? { scopes: REQUESTED[request] } : {}),
      });
      expect(await codeOf(result)).toBe(expected);
      if (expected !== 'OK') return;

      const created = await result;
      // The default set is clipped to the subject's ceiling (and the creator's); explicit scopes are kept as asked.
      const expectedScopes =
        request === 'default'
          ? DEFAULT_SCOPES.filter((scope) => subjectRole === null || roleAllows(subjectRole, scope as Scope))
          : REQUESTED[request];
      expect(created.scopes).toEqual(expectedScopes);
      expect(created.type).toBe(kind === 'service' ? 'service' : 'personal');
      expect(created.subjectUserId).toBe(subjectRole === null ? null : org.users[subjectRole].id);
      expect(created.createdByUserId).toBe(org.users[role].id);
    },
  );

  it('names the unknown scopes, and the refused ones, so the caller can fix the request', async () => {
    const unknown = await callers.owner.tokens
      .create({ name: 'typo', scopes: ['wiki:read', 'wiki:writ', 'repos:read'] })
      .then(
        () => null,
        (error: unknown) => error as { cause?: { code?: string; details?: unknown; message?: string } },
      );
    expect(unknown?.cause?.code).toBe('UNKNOWN_SCOPE');
    expect(unknown?.cause?.message).toContain('wiki:writ');
    expect(unknown?.cause?.details).toEqual([
      { path: 'scopes', message: 'Unknown scope "wiki:writ"' },
      { path: 'scopes', message: 'Unknown scope "repos:read"' },
    ]);

    const refused = await callers.member.tokens
      .create({ name: 'too much', scopes: ['wiki:write', 'team:write', 'audit:read'] })
      .then(
        () => null,
        (error: unknown) => error as { cause?: { code?: string; message?: string } },
      );
    expect(refused?.cause?.code).toBe('FORBIDDEN');
    expect(refused?.cause?.message).toContain('team:write, audit:read');
    expect(refused?.cause?.message).not.toContain('wiki:write');
  });
});

describe('a token that creates tokens', () => {
  it('cannot grant a scope it does not hold itself, even within its subject’s role', async () => {
    const narrow = await callerAs(harness, org, 'admin', ['tokens:write', 'wiki:read']);
    expect(await codeOf(narrow.tokens.create({ name: 'held', scopes: ['wiki:read', 'tokens:read'] }))).toBe(
      'OK',
    );
    expect(await codeOf(narrow.tokens.create({ name: 'not held', scopes: ['team:write'] }))).toBe(
      'FORBIDDEN',
    );
    // The default set is clipped to what the token holds: only wiki:read of it.
    const defaulted = await narrow.tokens.create({ name: 'default' });
    expect(defaulted.scopes).toEqual(['wiki:read']);
  });

  it('is bounded by its subject’s current role, not by the scopes written on it', async () => {
    // A member's token carrying admin scopes (inserted directly): effective scopes are the member's ceiling.
    const inflated = await callerAs(harness, org, 'member', ['tokens:write', 'team:write', 'audit:read']);
    expect(await codeOf(inflated.tokens.create({ name: 'x', scopes: ['team:write'] }))).toBe('FORBIDDEN');
    expect(await codeOf(inflated.tokens.create({ name: 'x', scopes: ['audit:read'] }))).toBe('FORBIDDEN');
  });

  it('bounds a service token by its creator: a service token may only hand out what it holds', async () => {
    const service = await harness.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['tokens:write', 'repositories:write'],
    });
    const caller = harness.callerWithToken(service.token);
    const child = await caller.tokens.create({
      name: 'child',
      type: 'service',
      scopes: ['repositories:read'],
    });
    expect(child.scopes).toEqual(['repositories:read']);
    expect(child.createdByUserId).toBeNull();
    expect(
      await codeOf(caller.tokens.create({ name: 'x', type: 'service', scopes: ['billing:write'] })),
    ).toBe('FORBIDDEN');
    // Acting as the organisation, it may create a member's personal token, within that member's role.
    const forMember = await caller.tokens.create({
      name: 'for member',
      subjectUserId: org.users.member.id,
      scopes: [],
    });
    expect(forMember.subjectUserId).toBe(org.users.member.id);
    // A service token has no person behind it, so a personal token needs a named subject.
    expect(await codeOf(caller.tokens.create({ name: 'whose?' }))).toBe('VALIDATION_FAILED');
  });
});

describe('on behalf of another member', () => {
  it('requires the subject to be a member of the organisation', async () => {
    const outsider = await harness.seedUser('member', null);
    expect(await codeOf(callers.admin.tokens.create({ name: 'x', subjectUserId: outsider.id }))).toBe(
      'NOT_FOUND',
    );
  });

  it('refuses a subject on a service token', async () => {
    expect(
      await codeOf(
        callers.admin.tokens.create({ name: 'x', type: 'service', subjectUserId: org.users.member.id }),
      ),
    ).toBe('VALIDATION_FAILED');
  });
});

// What created tokens may then call: each token × procedures requiring tokens:read, tokens:write or no scope.
describe('what each created token may call', () => {
  const PROCEDURES = [
    'tokens.list (tokens:read)',
    'tokens.update (tokens:write)',
    'tokens.self (any)',
  ] as const;
  const TOKENS: {
    label: string;
    by: Role;
    kind: 'self' | 'service' | 'behalf';
    scopes: Scope[];
    expect: string[];
  }[] = [
    {
      label: 'member personal, tokens:write',
      by: 'member',
      kind: 'self',
      scopes: ['tokens:write'],
      expect: ['OK', 'OK', 'OK'],
    },
    {
      label: 'member personal, default scopes',
      by: 'member',
      kind: 'self',
      scopes: [],
      expect: ['INSUFFICIENT_SCOPE', 'INSUFFICIENT_SCOPE', 'OK'],
    },
    {
      label: 'viewer personal via admin, tokens:read',
      by: 'admin',
      kind: 'behalf',
      scopes: ['tokens:read'],
      expect: ['OK', 'INSUFFICIENT_SCOPE', 'OK'],
    },
    {
      label: 'service, tokens:read',
      by: 'owner',
      kind: 'service',
      scopes: ['tokens:read'],
      expect: ['OK', 'INSUFFICIENT_SCOPE', 'OK'],
    },
    {
      label: 'service, tokens:write',
      by: 'admin',
      kind: 'service',
      scopes: ['tokens:write'],
      expect: ['OK', 'OK', 'OK'],
    },
  ];
  const rows = TOKENS.flatMap((token) =>
    PROCEDURES.map((procedure, i) => ({ ...token, procedure, expected: token.expect[i] })),
  );

  it.each(rows)('$label → $procedure: $expected', async ({ by, kind, scopes, procedure, expected }) => {
    const created = await callers[by].tokens.create({
      name: 'probe',
      type: kind === 'service' ? 'service' : 'personal',
      ...(kind === 'behalf' ? { subjectUserId: org.users.viewer.id } : {}),
      ...(scopes.length > 0 ? { scopes } : {}),
    });
    const caller = harness.callerWithToken(created.token);
    const call =
      procedure === 'tokens.list (tokens:read)'
        ? caller.tokens.list({})
        : procedure === 'tokens.update (tokens:write)'
          ? caller.tokens.update({ id: created.id, description: 'touched' })
          : caller.tokens.self();
    expect(await codeOf(call)).toBe(expected);
  });

  it('a personal token narrows at once when its subject’s role is lowered; a service token survives member changes', async () => {
    const team = await harness.seedOrganization();
    const admin = await callerAs(harness, team, 'admin');
    const member = await callerAs(harness, team, 'member');
    const personal = await member.tokens.create({ name: 'mine', scopes: ['tokens:write'] });
    const service = await admin.tokens.create({
      name: 'integration',
      type: 'service',
      scopes: ['tokens:write'],
    });
    const adminsOwn = await admin.tokens.create({ name: 'admin own', scopes: ['tokens:write'] });
    const personalCaller = harness.callerWithToken(personal.token);
    const serviceCaller = harness.callerWithToken(service.token);
    expect(await codeOf(personalCaller.tokens.update({ id: personal.id, description: 'a' }))).toBe('OK');

    // The member becomes a viewer; the admin who created the service token leaves.
    await harness.database.db
      .updateTable('memberships')
      .set({ role: 'viewer' })
      .where('organizationId', '=', team.id)
      .where('userId', '=', team.users.member.id)
      .execute();
    await harness.services.invalidation.publish({
      kind: 'member',
      organizationId: team.id,
      userId: team.users.member.id,
    });
    await harness.database.db
      .deleteFrom('memberships')
      .where('organizationId', '=', team.id)
      .where('userId', '=', team.users.admin.id)
      .execute();
    await harness.services.invalidation.publish({
      kind: 'member',
      organizationId: team.id,
      userId: team.users.admin.id,
    });

    expect(await codeOf(personalCaller.tokens.update({ id: personal.id, description: 'b' }))).toBe(
      'INSUFFICIENT_SCOPE',
    );
    expect(await codeOf(personalCaller.tokens.list({}))).toBe('OK');
    expect(await codeOf(harness.callerWithToken(adminsOwn.token).tokens.list({}))).toBe('ROLE_NOT_ALLOWED');
    expect(await codeOf(serviceCaller.tokens.update({ id: service.id, description: 'still here' }))).toBe(
      'OK',
    );
    expect((await serviceCaller.tokens.self()).effectiveScopes).toEqual(['tokens:read', 'tokens:write']);
  });
});
