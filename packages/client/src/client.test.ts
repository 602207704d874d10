import { buildServer } from '@tollgate/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The api's own test harness: a fresh database (PostgreSQL when DATABASE_URL is set, PGlite otherwise) and
// services, plus direct seeding of an organisation and tokens.
import { createTestHarness, type TestHarness } from '../../../apps/api/test/helpers/harness.ts';
import { createTollgateClient, isTollgateClientError } from './index.ts';

describe('createTollgateClient against a real server', () => {
  let harness: TestHarness;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let url: string;
  let organizationId: string;
  let ownerId: string;

  beforeAll(async () => {
    harness = await createTestHarness();
    const organization = await harness.seedOrganization();
    organizationId = organization.id;
    ownerId = organization.users.owner.id;
    app = await buildServer({ services: harness.services, webDist: '/nonexistent' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
    url = `http://127.0.0.1:${address.port}/`;
  });

  afterAll(async () => {
    await app?.close();
    await harness?.close();
  });

  it('lists the tokens of its organisation with a token holding tokens:read, never their secrets', async () => {
    const reader = await harness.issueToken({
      organizationId,
      subjectUserId: ownerId,
      scopes: ['tokens:read'],
    });
    const other = await harness.issueToken({ organizationId, type: 'service', scopes: ['wiki:read'] });

    const client = createTollgateClient({ url, token: reader.token });
    const page = await client.tokens.list.query({});

    expect(page.data.map((token) => token.id).sort()).toEqual([reader.id, other.id].sort());
    const listed = page.data.find((token) => token.id === other.id);
    expect(listed).toMatchObject({ type: 'service', scopes: ['wiki:read'], status: 'active' });
    expect(listed?.prefix).toBe(other.token.slice(0, 12));
    expect(JSON.stringify(page)).not.toContain(other.token);
    expect(JSON.stringify(page)).not.toContain(reader.token);
  });

  it('rejects a call outside the token scopes with a typed INSUFFICIENT_SCOPE error', async () => {
    const { token } = await harness.issueToken({
      organizationId,
      subjectUserId: ownerId,
      scopes: ['wiki:read'],
    });
    const client = createTollgateClient({ url, token });

    const error = await client.tokens.list.query({}).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );

    expect(isTollgateClientError(error)).toBe(true);
    if (!isTollgateClientError(error)) return;
    expect(error.data?.appCode).toBe('INSUFFICIENT_SCOPE');
    expect(error.data?.httpStatus).toBe(403);
    expect(error.message).toMatch(/scope/i);
  });

  it('sends the token as a Bearer header through a custom fetch, and reports a revoked token', async () => {
    const { token } = await harness.issueToken({
      organizationId,
      subjectUserId: ownerId,
      scopes: ['tokens:read'],
      revokedAt: new Date(),
    });
    const seen: string[] = [];
    const client = createTollgateClient({
      url,
      token,
      fetch: (input, init) => {
        seen.push(
          new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]).get('authorization') ?? '',
        );
        return fetch(input, init as RequestInit);
      },
    });

    const error = await client.tokens.list.query({}).catch((rejection: unknown) => rejection);

    expect(seen).toEqual([`Bearer ${token}`]);
    expect(isTollgateClientError(error) && error.data?.appCode).toBe('TOKEN_REVOKED');
  });
});
