import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server.ts';
import { createTestHarness, type SeededOrganization, type TestHarness } from './helpers/harness.ts';

/** §3 lastUsedIps: the last 5 distinct client addresses, fed by the usage buffer (no write per request). */
let h: TestHarness;
let org: SeededOrganization;
let app: FastifyInstance;
let reader: string;

beforeAll(async () => {
  h = await createTestHarness();
  org = await h.seedOrganization();
  app = await buildServer({ services: h.services });
  reader = (await h.issueToken({ organizationId: org.id, type: 'service', scopes: ['tokens:read'] })).token;
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

/** One request with `secret` from `ip` with `userAgent`, one second after the previous one. */
async function use(secret: string, ip: string, userAgent: string) {
  h.clock.advance(1_000);
  const response = await app.inject({
    method: 'GET',
    url: '/api/v1/tokens/self',
    remoteAddress: ip,
    headers: { authorization: `Bearer ${secret}`, 'user-agent': userAgent },
  });
  expect(response.statusCode).toBe(200);
  return { at: h.clock.now().toISOString(), body: response.json() };
}

async function lastUsedIpsOf(id: string) {
  const response = await app.inject({
    method: 'GET',
    url: `/api/v1/tokens/${id}`,
    headers: { authorization: `Bearer ${reader}` },
  });
  return response.json().lastUsedIps;
}

describe('lastUsedIps', () => {
  it('keeps the last 5 distinct addresses, newest first, each with its last time and user agent', async () => {
    const { id, token } = await h.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['wiki:read'],
    });
    const uses: Record<string, { at: string; userAgent: string }> = {};
    for (const [ip, userAgent] of [
      ['192.0.2.1', 'ci/1'],
      ['192.0.2.2', 'ci/2'],
      ['192.0.2.3', 'ci/3'],
      ['2001:db8::1', 'ci/4'],
      ['192.0.2.1', 'ci/5'], // the first address again: one entry, its latest use
      ['192.0.2.5', 'ci/6'],
      ['192.0.2.6', 'ci/7'],
    ] as const) {
      uses[ip] = { at: (await use(token, ip, userAgent)).at, userAgent };
    }
    // Nothing is written per request: the token shows no addresses until the usage buffer is flushed.
    expect(await lastUsedIpsOf(id)).toEqual([]);
    await h.services.usage.flush();

    const expected = ['192.0.2.6', '192.0.2.5', '192.0.2.1', '2001:db8::1', '192.0.2.3'].map((ip) => ({
      ip,
      lastUsedAt: uses[ip]?.at,
      userAgent: uses[ip]?.userAgent,
    }));
    expect(await lastUsedIpsOf(id)).toEqual(expected);
  });

  it('merges later flushes into what is stored; an address spelled two ways is one', async () => {
    const { id, token } = await h.issueToken({
      organizationId: org.id,
      type: 'service',
      scopes: ['wiki:read'],
    });
    const first = await use(token, '198.51.100.1', 'first');
    await use(token, '198.51.100.2', 'second');
    await h.services.usage.flush();
    const again = await use(token, '::ffff:198.51.100.1', 'third');
    await h.services.usage.flush();
    expect(first.at < again.at).toBe(true);
    expect(await lastUsedIpsOf(id)).toEqual([
      { ip: '198.51.100.1', lastUsedAt: again.at, userAgent: 'third' },
      { ip: '198.51.100.2', lastUsedAt: expect.any(String), userAgent: 'second' },
    ]);
    // lastUsedIp stays the single latest address, as before.
    const token_ = await app.inject({
      method: 'GET',
      url: `/api/v1/tokens/${id}`,
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(token_.json()).toMatchObject({ lastUsedIp: '198.51.100.1', lastUsedAt: again.at });
  });

  it('a batch older than what is stored does not push newer addresses out', async () => {
    const { id } = await h.issueToken({ organizationId: org.id, type: 'service', scopes: ['wiki:read'] });
    const at = h.clock.now();
    // Five recent addresses, recorded as another process would, then an old straggler.
    for (let i = 1; i <= 5; i++) {
      h.services.usage.record(
        id,
        org.id,
        `203.0.113.${i}`,
        new Date(at.getTime() + i * 1_000),
        `recent/${i}`,
      );
    }
    await h.services.usage.flush();
    h.services.usage.record(id, org.id, '203.0.113.99', new Date(at.getTime() - 60_000), 'straggler');
    await h.services.usage.flush();
    const stored = await lastUsedIpsOf(id);
    expect(stored.map((entry: { ip: string }) => entry.ip)).toEqual([
      '203.0.113.5',
      '203.0.113.4',
      '203.0.113.3',
      '203.0.113.2',
      '203.0.113.1',
    ]);
  });

  it('tokens.self shows the request being answered first', async () => {
    const { token } = await h.issueToken({ organizationId: org.id, type: 'service', scopes: ['wiki:read'] });
    await use(token, '192.0.2.10', 'earlier');
    await h.services.usage.flush();
    const now = await use(token, '192.0.2.11', 'now');
    expect(now.body.lastUsedIps[0]).toEqual({ ip: '192.0.2.11', lastUsedAt: now.at, userAgent: 'now' });
  });
});
