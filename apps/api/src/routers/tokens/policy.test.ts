import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHarness, type TestHarness } from '../../../test/helpers/harness.ts';
import { callerAs, codeOf, failureOf } from './test-helpers.ts';

const DAY = 86_400_000;
let harness: TestHarness;

beforeAll(async () => {
  harness = await createTestHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('organisation policy at creation (§5)', () => {
  it('maxTokenLifetimeDays: a longer expiry is refused, none at all gets the maximum', async () => {
    const org = await harness.seedOrganization({ policy: { maxTokenLifetimeDays: 30 } });
    const member = await callerAs(harness, org, 'member');
    const now = harness.clock.now().getTime();

    const tooLong = await failureOf(member.tokens.create({ name: 'x', expiresInDays: 31 }));
    expect(tooLong.code).toBe('VALIDATION_FAILED');
    expect(tooLong.message).toContain('30 days');
    const absolute = new Date(now + 31 * DAY).toISOString();
    expect(await codeOf(member.tokens.create({ name: 'x', expiresAt: absolute }))).toBe('VALIDATION_FAILED');

    const atMost = await member.tokens.create({ name: 'x', expiresInDays: 30 });
    expect(atMost.expiresAt).toBe(new Date(now + 30 * DAY).toISOString());
    const unspecified = await member.tokens.create({ name: 'x' });
    expect(unspecified.expiresAt).toBe(new Date(now + 30 * DAY).toISOString());
  });

  it('requireExpiry: a token without an expiry is refused', async () => {
    const org = await harness.seedOrganization({ policy: { requireExpiry: true } });
    const admin = await callerAs(harness, org, 'admin');
    const refused = await failureOf(admin.tokens.create({ name: 'forever', type: 'service' }));
    expect(refused.code).toBe('VALIDATION_FAILED');
    expect(refused.message).toMatch(/requires tokens to have an expiry/);
    expect(await codeOf(admin.tokens.create({ name: 'x', type: 'service', expiresInDays: 90 }))).toBe('OK');
  });

  it('an expiry in the past, or both forms at once, is refused', async () => {
    const org = await harness.seedOrganization();
    const member = await callerAs(harness, org, 'member');
    const past = new Date(harness.clock.now().getTime() - 1_000).toISOString();
    expect(await codeOf(member.tokens.create({ name: 'x', expiresAt: past }))).toBe('VALIDATION_FAILED');
    const future = new Date(harness.clock.now().getTime() + DAY).toISOString();
    expect(await codeOf(member.tokens.create({ name: 'x', expiresAt: future, expiresInDays: 1 }))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('an expired token is refused with TOKEN_EXPIRED and listed as expired', async () => {
    const org = await harness.seedOrganization();
    const member = await callerAs(harness, org, 'member');
    const created = await member.tokens.create({
      name: 'one day',
      expiresInDays: 1,
      scopes: ['tokens:read'],
    });
    const caller = harness.callerWithToken(created.token);
    expect(await codeOf(caller.tokens.self())).toBe('OK');
    harness.clock.advance(DAY);
    expect(await codeOf(caller.tokens.self())).toBe('TOKEN_EXPIRED');
    expect((await member.tokens.get({ id: created.id })).status).toBe('expired');
    expect(await codeOf(member.tokens.rotate({ id: created.id }))).toBe('CONFLICT');
  });

  it('tokenCreateRoles: a role left out may not create tokens (ROLE_NOT_ALLOWED); the others still may', async () => {
    const org = await harness.seedOrganization({ policy: { tokenCreateRoles: ['owner', 'admin'] } });
    const member = await callerAs(harness, org, 'member');
    const admin = await callerAs(harness, org, 'admin');
    expect(await codeOf(member.tokens.create({ name: 'x' }))).toBe('ROLE_NOT_ALLOWED');
    // Only creation is the policy's business: the member still manages what they have.
    expect(await codeOf(member.tokens.list({}))).toBe('OK');
    const forMember = await admin.tokens.create({
      name: 'issued by admin',
      subjectUserId: org.users.member.id,
    });
    expect(await codeOf(member.tokens.deactivate({ id: forMember.id }))).toBe('OK');
  });

  it('an IP allowlist entry that is not an address or range is refused, naming it', async () => {
    const org = await harness.seedOrganization();
    const member = await callerAs(harness, org, 'member');
    const refused = await failureOf(
      member.tokens.create({ name: 'x', ipAllowlist: ['10.0.0.0/8', 'localhost'] }),
    );
    expect(refused.code).toBe('VALIDATION_FAILED');
    expect(refused.details?.[0]?.path).toBe('ipAllowlist.1');
  });
});
