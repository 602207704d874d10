import { hashToken, tokenPattern } from '@tollgate/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestHarness,
  type SeededOrganization,
  type TestHarness,
} from '../../../test/helpers/harness.ts';
import { signIn } from '../../../test/helpers/sessions.ts';
import { createToken, listTokens, revokeToken } from '../../core/tokens.ts';
import { callerAs, codeOf, failureOf } from './test-helpers.ts';

let harness: TestHarness;
let org: SeededOrganization;
let member: Awaited<ReturnType<typeof callerAs>>;
let admin: Awaited<ReturnType<typeof callerAs>>;

beforeAll(async () => {
  harness = await createTestHarness();
  org = await harness.seedOrganization();
  member = await callerAs(harness, org, 'member');
  admin = await callerAs(harness, org, 'admin');
});
afterAll(async () => {
  await harness?.close();
});

async function auditOf(tokenId: string) {
  return harness.database.db
    .selectFrom('auditLogs')
    .selectAll()
    .where('targetId', '=', tokenId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

/** Every audit entry of the database as one string, to search for secrets. */
async function wholeAuditLog(): Promise<string> {
  return JSON.stringify(await harness.database.db.selectFrom('auditLogs').selectAll().execute());
}

describe('a token through its whole life, as a new user would see it', () => {
  it('create → list → use → deactivate → reactivate → rotate (grace, then none) → revoke → delete', async () => {
    const HOUR = 3_600;
    const secrets: string[] = [];

    // Create: the plain token is in this response, and only here.
    const created = await member.tokens.create({
      name: 'CI deploys',
      description: 'Used by the deploy pipeline',
      environment: 'production',
      scopes: ['tokens:read', 'wiki:write'],
    });
    secrets.push(created.token);
    // The documented scanner pattern finds exactly this token.
    expect(created.token.match(tokenPattern())).toEqual([created.token]);
    expect(created.token.startsWith('tgp_')).toBe(true);
    expect(created).toMatchObject({
      type: 'personal',
      name: 'CI deploys',
      status: 'active',
      active: true,
      scopes: ['wiki:write', 'tokens:read'],
      subjectUserId: org.users.member.id,
      prefix: created.token.slice(0, 12),
    });
    const token = created.token;

    // Listed and fetched with its prefix, never the secret or its hash.
    const listed = await member.tokens.list({});
    const row = listed.data.find((t) => t.id === created.id);
    expect(row?.prefix).toBe(token.slice(0, 12));
    const fetched = await member.tokens.get({ id: created.id });
    for (const response of [listed, fetched]) {
      const json = JSON.stringify(response);
      expect(json).not.toContain(token);
      expect(json).not.toContain(hashToken(token));
      expect(json).not.toContain('"token"');
    }

    // Used: it authenticates and reports itself.
    const own = harness.callerWithToken(token);
    const self = await own.tokens.self();
    expect(self).toMatchObject({ id: created.id, rateLimits: { perMinute: 60, perHour: 1_000 } });
    expect(self.effectiveScopes).toEqual(['wiki:read', 'wiki:write', 'tokens:read']);

    // Deactivate: refused with TOKEN_INACTIVE; reactivate: accepted again.
    expect((await member.tokens.deactivate({ id: created.id })).status).toBe('inactive');
    expect(await codeOf(own.tokens.self())).toBe('TOKEN_INACTIVE');
    expect((await member.tokens.reactivate({ id: created.id })).status).toBe('active');
    expect(await codeOf(own.tokens.self())).toBe('OK');

    // Rotate with a grace period: both work, then only the new one.
    const rotated = await member.tokens.rotate({ id: created.id, gracePeriodSeconds: HOUR });
    secrets.push(rotated.token);
    expect(rotated.id).toBe(created.id);
    expect(rotated.token).not.toBe(token);
    expect(rotated.prefix).toBe(rotated.token.slice(0, 12));
    expect(rotated.scopes).toEqual(created.scopes);
    const renewed = harness.callerWithToken(rotated.token);
    expect(await codeOf(own.tokens.self())).toBe('OK');
    expect(await codeOf(renewed.tokens.self())).toBe('OK');
    harness.clock.advance((HOUR + 1) * 1000);
    expect(await codeOf(own.tokens.self())).toBe('INVALID_TOKEN');
    expect(await codeOf(renewed.tokens.self())).toBe('OK');

    // Rotate without grace: the previous secret is refused at once.
    const again = await member.tokens.rotate({ id: created.id });
    secrets.push(again.token);
    expect(await codeOf(renewed.tokens.self())).toBe('INVALID_TOKEN');
    const current = harness.callerWithToken(again.token);
    expect(await codeOf(current.tokens.self())).toBe('OK');

    // Revoke: TOKEN_REVOKED, for good.
    const revoked = await member.tokens.revoke({ id: created.id });
    expect(revoked.status).toBe('revoked');
    expect(revoked.revokedAt).toBe(harness.clock.now().toISOString());
    expect(await codeOf(current.tokens.self())).toBe('TOKEN_REVOKED');
    expect((await member.tokens.list({ status: 'revoked' })).data.map((t) => t.id)).toContain(created.id);

    // Delete: gone from the list and from get; the secret is unknown now.
    await member.tokens.delete({ id: created.id });
    expect((await member.tokens.list({})).data.map((t) => t.id)).not.toContain(created.id);
    expect(await codeOf(member.tokens.get({ id: created.id }))).toBe('NOT_FOUND');
    expect(await codeOf(current.tokens.self())).toBe('INVALID_TOKEN');

    // The audit log tells the story, in one entry per step, by the member's token, and never a secret.
    const entries = await auditOf(created.id);
    expect(entries.map((e) => e.action)).toEqual([
      'token.created',
      'token.deactivated',
      'token.reactivated',
      'token.rotated',
      // The first secret presented after its grace, then the second right after a rotation without one (§12).
      'token.reuse_detected',
      'token.rotated',
      'token.reuse_detected',
      'token.revoked',
      'token.deleted',
    ]);
    for (const entry of entries.filter((e) => e.action !== 'token.reuse_detected')) {
      expect(entry).toMatchObject({
        organizationId: org.id,
        actorType: 'token',
        actorUserId: org.users.member.id,
      });
    }
    expect(entries[3]?.detail).toMatchObject({
      gracePeriodSeconds: HOUR,
      previousPrefix: token.slice(0, 12),
    });
    const log = await wholeAuditLog();
    for (const secret of secrets) {
      expect(log).not.toContain(secret);
      expect(log).not.toContain(secret.slice(12));
      expect(log).not.toContain(hashToken(secret));
    }
  });
});

describe('state rules', () => {
  it('a revoked token cannot be revoked again, reactivated, deactivated, updated or rotated (CONFLICT)', async () => {
    const { id } = await member.tokens.create({ name: 'short-lived' });
    await member.tokens.revoke({ id });
    expect(await codeOf(member.tokens.revoke({ id }))).toBe('CONFLICT');
    expect(await codeOf(member.tokens.reactivate({ id }))).toBe('CONFLICT');
    expect(await codeOf(member.tokens.deactivate({ id }))).toBe('CONFLICT');
    expect(await codeOf(member.tokens.update({ id, name: 'renamed' }))).toBe('CONFLICT');
    expect(await codeOf(member.tokens.rotate({ id, gracePeriodSeconds: 60 }))).toBe('CONFLICT');
    expect((await member.tokens.get({ id })).name).toBe('short-lived');
    // A revoked token can still be deleted.
    expect(await codeOf(member.tokens.delete({ id }))).toBe('OK');
  });

  it('deactivating twice changes nothing and records nothing the second time', async () => {
    const { id } = await member.tokens.create({ name: 'toggle' });
    await member.tokens.deactivate({ id });
    expect((await member.tokens.deactivate({ id })).status).toBe('inactive');
    expect((await auditOf(id)).map((e) => e.action)).toEqual(['token.created', 'token.deactivated']);
  });

  it('rotation grace is 0 to 7 days', async () => {
    const { id } = await member.tokens.create({ name: 'grace' });
    expect(await codeOf(member.tokens.rotate({ id, gracePeriodSeconds: 604_801 }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(member.tokens.rotate({ id, gracePeriodSeconds: -1 }))).toBe('VALIDATION_FAILED');
    expect(await codeOf(member.tokens.rotate({ id, gracePeriodSeconds: 604_800 }))).toBe('OK');
  });

  it('a caller cannot rotate a token wider than what it may grant (it would receive its secret)', async () => {
    const ownerCaller = await callerAs(harness, org, 'owner');
    const billing = await ownerCaller.tokens.create({
      name: 'billing',
      type: 'service',
      scopes: ['billing:write'],
    });
    expect(await codeOf(admin.tokens.rotate({ id: billing.id }))).toBe('FORBIDDEN');
    expect(await codeOf(admin.tokens.revoke({ id: billing.id }))).toBe('OK');
  });
});

describe('update', () => {
  it('changes name, description, environment and IP allowlist, and records what changed', async () => {
    const { id } = await member.tokens.create({ name: 'before', description: 'old', environment: 'staging' });
    const updated = await member.tokens.update({
      id,
      name: 'after',
      description: null,
      environment: 'production',
      ipAllowlist: ['10.1.2.3/8', '2001:db8::1', '10.0.0.0/8'],
    });
    expect(updated).toMatchObject({
      name: 'after',
      description: null,
      environment: 'production',
      // Canonical and deduplicated: what will actually be matched.
      ipAllowlist: ['10.0.0.0/8', '2001:db8::1'],
    });
    expect(await member.tokens.get({ id })).toMatchObject(updated);
    const [, entry] = await auditOf(id);
    expect(entry?.action).toBe('token.updated');
    expect(entry?.detail).toMatchObject({
      fields: ['name', 'description', 'environment', 'ipAllowlist'],
      before: { name: 'before', description: 'old', environment: 'staging', ipAllowlist: [] },
    });
  });

  it('refuses to change scopes, and invalid values, with VALIDATION_FAILED naming the field', async () => {
    const { id } = await member.tokens.create({ name: 'fixed scopes' });
    const scopes = await failureOf(member.tokens.update({ id, scopes: ['team:write'] } as never));
    expect(scopes.code).toBe('VALIDATION_FAILED');
    expect(scopes.details?.[0]?.message).toMatch(/scopes/);
    const ip = await failureOf(member.tokens.update({ id, ipAllowlist: ['10.0.0.0/33'] }));
    expect(ip.code).toBe('VALIDATION_FAILED');
    expect(ip.details?.[0]?.path).toBe('ipAllowlist.0');
    expect(await codeOf(member.tokens.update({ id, name: '' }))).toBe('VALIDATION_FAILED');
  });

  it('an IP allowlist takes effect on the token at once', async () => {
    const created = await member.tokens.create({ name: 'office only', ipAllowlist: ['203.0.113.0/24'] });
    const fromOffice = harness.callerWithToken(created.token, { ip: '203.0.113.9' });
    const fromHome = harness.callerWithToken(created.token, { ip: '198.51.100.7' });
    expect(await codeOf(fromOffice.tokens.self())).toBe('OK');
    expect(await codeOf(fromHome.tokens.self())).toBe('IP_NOT_ALLOWED');
    await member.tokens.update({ id: created.id, ipAllowlist: ['198.51.100.0/24', '2001:db8::/32'] });
    expect(await codeOf(fromHome.tokens.self())).toBe('OK');
    expect(await codeOf(fromOffice.tokens.self())).toBe('IP_NOT_ALLOWED');
  });
});

describe('who sees and manages which tokens', () => {
  it('members see and manage only their own personal tokens; others are NOT_FOUND', async () => {
    const other = await callerAs(harness, org, 'member', ['tokens:write']);
    const otherMember = await harness.seedUser('member', org.id);
    const othersCaller = await harness.issueToken({
      organizationId: org.id,
      subjectUserId: otherMember.id,
      scopes: ['tokens:write'],
    });
    const theirs = await harness.callerWithToken(othersCaller.token).tokens.create({ name: 'theirs' });
    const service = await admin.tokens.create({ name: 'org integration', type: 'service', scopes: [] });

    for (const id of [theirs.id, service.id]) {
      expect(await codeOf(other.tokens.get({ id }))).toBe('NOT_FOUND');
      expect(await codeOf(other.tokens.update({ id, name: 'x' }))).toBe('NOT_FOUND');
      expect(await codeOf(other.tokens.deactivate({ id }))).toBe('NOT_FOUND');
      expect(await codeOf(other.tokens.revoke({ id }))).toBe('NOT_FOUND');
      expect(await codeOf(other.tokens.rotate({ id }))).toBe('NOT_FOUND');
      expect(await codeOf(other.tokens.delete({ id }))).toBe('NOT_FOUND');
    }
    const visible = (await other.tokens.list({ limit: 100 })).data;
    expect(visible.every((t) => t.subjectUserId === org.users.member.id)).toBe(true);
    expect(await other.tokens.list({ subjectUserId: otherMember.id })).toEqual({
      data: [],
      nextCursor: null,
      total: 0,
    });
    expect(await other.tokens.list({ type: 'service' })).toEqual({ data: [], nextCursor: null, total: 0 });

    // An admin sees and manages everyone's.
    expect((await admin.tokens.get({ id: theirs.id })).name).toBe('theirs');
    expect((await admin.tokens.deactivate({ id: theirs.id })).status).toBe('inactive');
    const all = (await admin.tokens.list({ limit: 100 })).data.map((t) => t.id);
    expect(all).toEqual(expect.arrayContaining([theirs.id, service.id]));
  });

  it('another organisation’s tokens are NOT_FOUND for everything, even to its owner', async () => {
    const elsewhere = await harness.seedOrganization();
    const foreignOwner = await callerAs(harness, elsewhere, 'owner');
    const foreignService = harness.callerWithToken(
      (await harness.issueToken({ organizationId: elsewhere.id, type: 'service', scopes: ['tokens:write'] }))
        .token,
    );
    const { id } = await member.tokens.create({ name: 'home' });
    for (const caller of [foreignOwner, foreignService]) {
      expect(await codeOf(caller.tokens.get({ id }))).toBe('NOT_FOUND');
      expect(await codeOf(caller.tokens.update({ id, name: 'x' }))).toBe('NOT_FOUND');
      expect(await codeOf(caller.tokens.deactivate({ id }))).toBe('NOT_FOUND');
      expect(await codeOf(caller.tokens.reactivate({ id }))).toBe('NOT_FOUND');
      expect(await codeOf(caller.tokens.revoke({ id }))).toBe('NOT_FOUND');
      expect(await codeOf(caller.tokens.rotate({ id, gracePeriodSeconds: 60 }))).toBe('NOT_FOUND');
      expect(await codeOf(caller.tokens.delete({ id }))).toBe('NOT_FOUND');
      expect((await caller.tokens.list({ limit: 100 })).data.map((t) => t.id)).not.toContain(id);
      expect(await codeOf(caller.tokens.create({ name: 'x', subjectUserId: org.users.member.id }))).toBe(
        'NOT_FOUND',
      );
    }
    expect((await member.tokens.get({ id })).status).toBe('active');
    expect((await auditOf(id)).map((e) => e.action)).toEqual(['token.created']);
  });
});

describe('tokens.get: own limits and rotation state; tokens.endGrace', () => {
  const HOUR = 3_600;
  it('shows the previous secret valid until the grace ends, and "end grace" refuses it at once', async () => {
    const { id, token } = await harness.issueToken({
      organizationId: org.id,
      subjectUserId: org.users.member.id,
      scopes: ['wiki:read'],
      rateLimitPerMinute: 10,
    });
    const before = await member.tokens.get({ id });
    expect(before).toMatchObject({
      rateLimitPerMinute: 10,
      rateLimitPerHour: null,
      previousSecretExpiresAt: null,
    });

    const rotated = await member.tokens.rotate({
      id,
      gracePeriodSeconds: HOUR,
    });
    const graceEnds = new Date(harness.clock.now().getTime() + HOUR * 1000).toISOString();
    expect((await member.tokens.get({ id })).previousSecretExpiresAt).toBe(graceEnds);
    const old = harness.callerWithToken(token);
    expect(await codeOf(old.tokens.self())).toBe('OK');

    const ended = await member.tokens.endGrace({ id });
    expect(ended.previousSecretExpiresAt).toBeNull();
    expect((await member.tokens.get({ id })).previousSecretExpiresAt).toBeNull();
    expect(await codeOf(old.tokens.self())).toBe('INVALID_TOKEN');
    expect(await codeOf(harness.callerWithToken(rotated.token).tokens.self())).toBe('OK');
    const actions = (await auditOf(id)).map((entry) => entry.action);
    // The old secret, presented after the grace was ended, is reuse of a retired secret (§12).
    expect(actions.slice(-2)).toEqual(['token.updated', 'token.reuse_detected']);
    // …retired when the grace was ended, not when it would have run out.
    expect((await auditOf(id)).at(-1)?.detail).toMatchObject({
      retiredAt: harness.clock.now().toISOString(),
    });
    // Nothing left to end: no change, no audit entry.
    await member.tokens.endGrace({ id });
    expect((await auditOf(id)).length).toBe(actions.length);
  });

  it('a viewer cannot end the grace of a token (tokens:write)', async () => {
    const { id } = await harness.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['wiki:read'],
    });
    const viewer = await callerAs(harness, org, 'viewer');
    expect(await codeOf(viewer.tokens.endGrace({ id }))).toBe('INSUFFICIENT_SCOPE');
  });
});

describe('tokens.self', () => {
  it('reports effective scopes (cut to the role) and the lower of tier and token limits', async () => {
    const tight = await harness.issueToken({
      organizationId: org.id,
      subjectUserId: org.users.member.id,
      scopes: ['wiki:write', 'team:write'],
      rateLimitPerMinute: 10,
    });
    const self = await harness.callerWithToken(tight.token).tokens.self();
    // team:write is cut to the team:read a member may hold; the wiki scopes are within the role.
    expect(self.effectiveScopes).toEqual(['team:read', 'wiki:read', 'wiki:write']);
    expect(self.scopes).toEqual(['team:write', 'wiki:write']);
    expect(self.rateLimits).toEqual({ perMinute: 10, perHour: 1_000 });
  });

  it('answers from the verification cache, yet shows a change at once and this request as the last use', async () => {
    const { id, token } = await harness.issueToken({
      organizationId: org.id,
      subjectUserId: org.users.member.id,
      scopes: ['wiki:read'],
    });
    const self = harness.callerWithToken(token, { ip: '198.51.100.20' });
    const first = await self.tokens.self();
    expect(first).toMatchObject({
      id,
      status: 'active',
      lastUsedAt: harness.clock.now().toISOString(),
      lastUsedIp: '198.51.100.20',
    });
    expect(first).not.toHaveProperty('hash');
    // A change made through the API invalidates the cached record: the next call shows it.
    const browser = await signIn(harness, org.users.member.email, org.users.member.password);
    await harness.caller(browser).tokens.update({ id, name: 'renamed', description: 'from the web app' });
    harness.clock.advance(5_000);
    const second = await self.tokens.self();
    expect(second).toMatchObject({
      name: 'renamed',
      description: 'from the web app',
      lastUsedAt: harness.clock.now().toISOString(),
    });
  });

  it('needs a token: without one it is MISSING_TOKEN', async () => {
    expect(await codeOf(harness.caller().tokens.self())).toBe('MISSING_TOKEN');
  });
});

describe('signed in with a session (the web app)', () => {
  it('creates and manages tokens with the role as its scopes; tokens.self is for tokens only (FORBIDDEN)', async () => {
    const browser = await signIn(harness, org.users.member.email, org.users.member.password);
    const web = harness.caller(browser);
    const created = await web.tokens.create({ name: 'from the web app' });
    expect(created.subjectUserId).toBe(org.users.member.id);
    expect(created.scopes).toEqual([
      'organization:read',
      'repositories:read',
      'reviews:read',
      'billing:read',
      'wiki:read',
      'wiki:write',
    ]);
    expect(await codeOf(web.tokens.create({ name: 'x', scopes: ['team:write'] }))).toBe('FORBIDDEN');
    expect(await codeOf(web.tokens.self())).toBe('FORBIDDEN');
    expect((await web.tokens.revoke({ id: created.id })).status).toBe('revoked');
    const [entry] = await auditOf(created.id);
    expect(entry).toMatchObject({ actorType: 'user', actorId: org.users.member.id, ip: '127.0.0.1' });

    const viewer = harness.caller(await signIn(harness, org.users.viewer.email, org.users.viewer.password));
    expect(await codeOf(viewer.tokens.create({ name: 'x' }))).toBe('INSUFFICIENT_SCOPE');
    expect(await codeOf(viewer.tokens.list({}))).toBe('OK');
  });
});

describe('the core functions the CLI uses', () => {
  it('act as the system with owner authority, still bounded by the subject’s role', async () => {
    const system = { kind: 'system', organizationId: org.id } as const;
    const service = await createToken(harness.services, system, {
      name: 'cli',
      type: 'service',
      scopes: ['billing:write'],
    });
    expect(service.scopes).toEqual(['billing:write']);
    expect(service.createdByUserId).toBeNull();
    await expect(
      createToken(harness.services, system, {
        name: 'cli',
        subjectUserId: org.users.viewer.id,
        scopes: ['wiki:write'],
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const viewers = await createToken(harness.services, system, {
      name: 'cli',
      subjectUserId: org.users.viewer.id,
    });
    expect(viewers.scopes).toEqual(['organization:read', 'repositories:read', 'reviews:read', 'wiki:read']);
    const page = await listTokens(harness.services, system, { type: 'service' });
    expect(page.data.map((t) => t.id)).toContain(service.id);
    await revokeToken(harness.services, system, { id: service.id });
    const [, revoked] = await auditOf(service.id);
    expect(revoked).toMatchObject({ action: 'token.revoked', actorType: 'system', actorId: null });
  });
});
