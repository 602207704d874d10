import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestHarness,
  type SeededOrganization,
  type TestHarness,
} from '../../../test/helpers/harness.ts';
import { signIn } from '../../../test/helpers/sessions.ts';
import { buildServer } from '../../server.ts';
import { codeOf } from '../tokens/test-helpers.ts';

let harness: TestHarness;
let org: SeededOrganization;
let other: SeededOrganization;
/** The member, signed in as the web app is: cookie + CSRF token. */
let memberBrowser: Awaited<ReturnType<typeof signIn>>;
let member: ReturnType<TestHarness['caller']>;

beforeAll(async () => {
  harness = await createTestHarness();
  org = await harness.seedOrganization();
  other = await harness.seedOrganization();
  memberBrowser = await signIn(harness, org.users.member.email, org.users.member.password);
  member = harness.caller(memberBrowser);
});
afterAll(async () => {
  await harness?.close();
});

describe('playground.send with one of your own tokens (runs as that token, no secret needed)', () => {
  it('answers as /api/v1 would: 200 with the scope, 403 INSUFFICIENT_SCOPE without it', async () => {
    const token = await member.tokens.create({ name: 'playground default scopes' });
    const organization = await member.playground.send({
      tokenId: token.id,
      method: 'GET',
      path: '/organization',
    });
    expect(organization.status).toBe(200);
    expect(organization.body).toMatchObject({ id: org.id, slug: org.slug });
    expect(organization.headers['content-type']).toMatch(/application\/json/);
    expect(organization.durationMs).toBeGreaterThanOrEqual(0);

    // The member's session could read the team; the token (default scopes) cannot: the token's scopes apply.
    const team = await member.playground.send({ tokenId: token.id, method: 'GET', path: '/api/v1/team' });
    expect(team.status).toBe(403);
    expect(team.body).toMatchObject({ success: false, code: 'INSUFFICIENT_SCOPE' });
  });

  it('matches the same answer over real HTTP for a pasted token, including the headers set by the chain', async () => {
    const token = await member.tokens.create({ name: 'pasted', scopes: ['organization:read'] });
    const app = await buildServer({ services: harness.services, webDist: '/nonexistent' });
    try {
      const http = await app.inject({
        method: 'GET',
        url: '/api/v1/organization',
        headers: { authorization: `Bearer ${token.token}` },
      });
      const playground = await member.playground.send({
        token: token.token,
        method: 'GET',
        path: '/organization',
      });
      expect(playground.status).toBe(http.statusCode);
      expect(playground.body).toEqual(http.json());
      // Whatever rate-limit headers the REST facade sends, the playground shows too.
      for (const name of Object.keys(http.headers).filter((header) =>
        /ratelimit|retry-after/i.test(header),
      )) {
        expect(playground.headers[name]).toBeDefined();
      }
    } finally {
      await app.close();
    }
  });

  it('holds the token to its status, IP allowlist and path; static routes win over parameters', async () => {
    const token = await member.tokens.create({ name: 'lifecycle', scopes: ['tokens:read'] });
    const self = await member.playground.send({ tokenId: token.id, method: 'GET', path: '/tokens/self' });
    expect(self.status).toBe(200);
    expect(self.body).toMatchObject({ id: token.id });

    const byId = await member.playground.send({
      tokenId: token.id,
      method: 'GET',
      path: `/tokens/${encodeURIComponent(token.id)}`,
    });
    expect(byId.body).toMatchObject({ id: token.id, name: 'lifecycle' });

    await member.tokens.deactivate({ id: token.id });
    const inactive = await member.playground.send({ tokenId: token.id, method: 'GET', path: '/tokens/self' });
    expect([inactive.status, (inactive.body as { code: string }).code]).toEqual([401, 'TOKEN_INACTIVE']);
    await member.tokens.reactivate({ id: token.id });

    const fenced = await member.tokens.create({
      name: 'fenced',
      scopes: ['tokens:read'],
      ipAllowlist: ['203.0.113.0/24'],
    });
    // The caller is at 127.0.0.1: outside the allowlist.
    const refused = await member.playground.send({ tokenId: fenced.id, method: 'GET', path: '/tokens/self' });
    expect([refused.status, (refused.body as { code: string }).code]).toEqual([403, 'IP_NOT_ALLOWED']);
    const inside = await harness
      .caller({ ...memberBrowser, ip: '203.0.113.9' })
      .playground.send({ tokenId: fenced.id, method: 'GET', path: '/tokens/self' });
    expect(inside.status).toBe(200);

    const nowhere = await member.playground.send({ tokenId: token.id, method: 'GET', path: '/nowhere' });
    expect([nowhere.status, (nowhere.body as { code: string }).code]).toEqual([404, 'NOT_FOUND']);

    await member.tokens.revoke({ id: token.id });
    const revoked = await member.playground.send({ tokenId: token.id, method: 'GET', path: '/tokens/self' });
    expect((revoked.body as { code: string }).code).toBe('TOKEN_REVOKED');
  });

  it('sends a JSON body for PUT and reports validation errors with details', async () => {
    const token = await member.tokens.create({ name: 'wiki writer', scopes: ['wiki:write'] });
    const put = await member.playground.send({
      tokenId: token.id,
      method: 'PUT',
      path: '/wiki/pages/getting-started',
      body: { title: 'Getting started', body: '# Hello' },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ slug: 'getting-started', title: 'Getting started' });

    const invalid = await member.playground.send({
      tokenId: token.id,
      method: 'PUT',
      path: '/wiki/pages/getting-started',
      body: { title: '' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'title' }] });

    // Query values arrive as strings and are coerced as the facade does (limit=1 is a number).
    const list = await member.playground.send({
      tokenId: token.id,
      method: 'GET',
      path: '/wiki/pages',
      query: { limit: '1' },
    });
    expect(list.status).toBe(200);
    expect((list.body as { data: unknown[] }).data).toHaveLength(1);
  });

  it('never acts as a token the caller may not see, nor for a token-authenticated caller', async () => {
    const adminBrowser = await signIn(harness, org.users.admin.email, org.users.admin.password);
    const adminsToken = await harness.caller(adminBrowser).tokens.create({ name: "admin's own" });
    const foreign = await harness.issueToken({
      organizationId: other.id,
      subjectUserId: other.users.owner.id,
      scopes: ['organization:read'],
    });
    const table: [string, Promise<unknown>, string][] = [
      [
        "a member using an admin's token",
        member.playground.send({ tokenId: adminsToken.id, method: 'GET', path: '/organization' }),
        'NOT_FOUND',
      ],
      [
        'a token of another organisation',
        member.playground.send({ tokenId: foreign.id, method: 'GET', path: '/organization' }),
        'NOT_FOUND',
      ],
      [
        'a Bearer token instead of a session',
        harness
          .callerWithToken(adminsToken.token)
          .playground.send({ tokenId: adminsToken.id, method: 'GET', path: '/organization' }),
        'MISSING_TOKEN',
      ],
      [
        'a session without the CSRF token',
        harness
          .caller({ ...memberBrowser, csrfToken: null })
          .playground.send({ token: adminsToken.token, method: 'GET', path: '/organization' }),
        'FORBIDDEN',
      ],
      [
        'both a token id and a pasted token',
        member.playground.send({
          tokenId: adminsToken.id,
          token: adminsToken.token,
          method: 'GET',
          path: '/organization',
        }),
        'VALIDATION_FAILED',
      ],
    ];
    const outcomes = await Promise.all(table.map(async ([name, call]) => [name, await codeOf(call)]));
    expect(outcomes).toEqual(table.map(([name, , code]) => [name, code]));

    // An admin may run as any token of the organisation (the visibility of tokens.get), e.g. a service token.
    const service = await harness
      .caller(adminBrowser)
      .tokens.create({ name: 'service', type: 'service', scopes: ['organization:read'] });
    const asService = await harness
      .caller(adminBrowser)
      .playground.send({ tokenId: service.id, method: 'GET', path: '/organization' });
    expect(asService.status).toBe(200);
  });
});

describe('tokens.usage', () => {
  it("counts a token's requests per day for the last 30 days, with the visibility of tokens.get", async () => {
    const token = await member.tokens.create({ name: 'counted', scopes: ['organization:read'] });
    for (let index = 0; index < 3; index++) {
      await harness.callerWithToken(token.token).organization.get();
    }
    await harness.services.usage.flush();
    const usage = await member.tokens.usage({ id: token.id });
    expect(usage.data).toHaveLength(30);
    expect(usage.data.at(-1)?.requests).toBe(3);
    expect(usage.total).toBe(3);
    expect((usage.data[0]?.date ?? 'z') < (usage.data.at(-1)?.date ?? '')).toBe(true);

    const viewer = harness.caller(await signIn(harness, org.users.viewer.email, org.users.viewer.password));
    expect(await codeOf(viewer.tokens.usage({ id: token.id }))).toBe('NOT_FOUND');
  });
});
