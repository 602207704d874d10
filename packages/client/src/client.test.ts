import type { TTokenWithSecret } from '@tollgate/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/test-server.ts';
import { createTollgateClient, isTollgateClientError } from './index.ts';

describe('createTollgateClient against a real server', () => {
  let server: TestServer;
  let url: string;
  /** Tokens made with the CLI before the server starts, by what the cases need them for. */
  let reader: TTokenWithSecret;
  let other: TTokenWithSecret;
  let revoked: TTokenWithSecret;

  beforeAll(async () => {
    server = await startTestServer(async (tollgate) => {
      const owner = 'owner@client.test';
      await tollgate(
        `org create --name Client --slug client --owner-email ${owner} --owner-password pw-client-1`,
      );
      const personal = (name: string, scopes: string) =>
        tollgate<TTokenWithSecret>(
          `token create --org client --user ${owner} --name ${name} --scopes ${scopes}`,
        );
      reader = await personal('reader', 'tokens:read');
      other = await tollgate('token create --org client --service --name other --scopes wiki:read');
      revoked = await personal('revoked', 'tokens:read');
      await tollgate(`token revoke ${revoked.id}`);
    });
    url = server.url;
  }, 180_000);

  afterAll(async () => {
    await server?.close();
  });

  it('lists the tokens of its organisation with a token holding tokens:read, never their secrets', async () => {
    const client = createTollgateClient({ url, token: reader.token });
    const page = await client.tokens.list.query({});

    expect(page.data.map((token) => token.id).sort()).toEqual([reader.id, other.id, revoked.id].sort());
    const listed = page.data.find((token) => token.id === other.id);
    expect(listed).toMatchObject({ type: 'service', scopes: ['wiki:read'], status: 'active' });
    expect(listed?.prefix).toBe(other.token.slice(0, 12));
    for (const { token } of [reader, other, revoked]) expect(JSON.stringify(page)).not.toContain(token);
  });

  it('rejects a call outside the token scopes with a typed INSUFFICIENT_SCOPE error', async () => {
    const client = createTollgateClient({ url, token: other.token });

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
    const token = revoked.token;
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
