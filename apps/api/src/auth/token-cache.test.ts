import type { DatabaseHandle, TokenVerificationRow } from '@tollgate/db';
import { DEFAULT_POLICY } from '@tollgate/domain';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../clock.ts';
import { Invalidation } from '../invalidation.ts';
import { type CachedToken, compileCachedToken, TokenCache, type TokenCacheOptions } from './token-cache.ts';

/** Invalidation without a database: publish() applies locally; notify is a no-op. */
function localInvalidation(): Invalidation {
  const database = { notify: async () => {} } as unknown as DatabaseHandle;
  return new Invalidation(database, pino({ level: 'silent' }));
}

function row(overrides: Partial<TokenVerificationRow> = {}): TokenVerificationRow {
  return {
    id: 'tok_1',
    organizationId: 'org_1',
    type: 'personal',
    subjectUserId: 'usr_1',
    scopes: ['wiki:write', 'billing:write'],
    ipAllowlist: [],
    rateLimitPerMinute: null,
    rateLimitPerHour: null,
    expiresAt: null,
    active: true,
    revokedAt: null,
    revokedReason: null,
    hash: 'hash-1',
    previousHash: null,
    previousHashExpiresAt: null,
    createdByUserId: 'usr_1',
    createdByTokenId: null,
    name: 'laptop',
    description: null,
    environment: null,
    lastUsedAt: null,
    lastUsedIp: null,
    lastUsedIps: [],
    prefix: 'tgp_abcdefgh',
    expiryNotifiedAt: null,
    expiryNoticeDays: null,
    createdAt: new Date('2029-12-01T00:00:00Z'),
    updatedAt: new Date('2029-12-01T00:00:00Z'),
    subjectRole: 'member',
    organizationTier: 'free',
    organizationCustomRateLimitPerMinute: null,
    organizationCustomRateLimitPerHour: null,
    organizationPolicy: { ...DEFAULT_POLICY },
    ...overrides,
  };
}

function setup(
  options: Partial<
    Pick<TokenCacheOptions, 'maxEntries' | 'ttlMs' | 'negativeTtlMs' | 'reload' | 'refreshAfterMs'>
  > = {},
) {
  const invalidation = localInvalidation();
  const clock = manualClock(new Date('2030-01-01T00:00:00Z'));
  const cache = new TokenCache({ invalidation, clock, ...options });
  let loads = 0;
  const loader = (token: CachedToken | undefined) => async () => {
    loads++;
    return token;
  };
  return { invalidation, clock, cache, loader, loads: () => loads };
}

const token = (overrides: Partial<TokenVerificationRow> = {}, presented = 'hash-1') =>
  compileCachedToken(row(overrides), presented);

describe('compileCachedToken', () => {
  it('intersects a personal token with its role ceiling, implied reads included', () => {
    // A member may not hold billing:write but keeps the billing:read it implies; wiki:write implies wiki:read.
    expect([...token().principal.scopes]).toEqual(['billing:read', 'wiki:read', 'wiki:write']);
  });

  it('keeps a service token its own scopes and no subject', () => {
    const service = token({ type: 'service', subjectUserId: null, subjectRole: null });
    expect([...service.principal.scopes]).toEqual([
      'billing:read',
      'billing:write',
      'wiki:read',
      'wiki:write',
    ]);
    expect(service.principal.userId).toBeNull();
    expect(service.isMember && service.roleMayUseTokens).toBe(true);
  });

  it('marks a token found by its previous hash with the end of its grace period', () => {
    const graceEnd = new Date('2030-01-02T00:00:00Z');
    const current = token({ hash: 'new', previousHash: 'old', previousHashExpiresAt: graceEnd }, 'new');
    const previous = token({ hash: 'new', previousHash: 'old', previousHashExpiresAt: graceEnd }, 'old');
    expect(current.graceEndsAtMs).toBeNull();
    expect(previous.graceEndsAtMs).toBe(graceEnd.getTime());
  });

  it('applies the policy: roles that may use tokens, organisation IP ranges', () => {
    const compiled = token({
      subjectRole: 'viewer',
      organizationPolicy: { ...DEFAULT_POLICY, tokenUseRoles: ['owner'], allowedIpRanges: ['10.0.0.0/8'] },
    });
    expect(compiled.roleMayUseTokens).toBe(false);
    expect(compiled.organizationIpAllowed('10.1.2.3')).toBe(true);
    expect(compiled.organizationIpAllowed('192.0.2.1')).toBe(false);
    expect(token({ subjectRole: null }).isMember).toBe(false);
  });

  it('takes the lower of the tier limits and the token limits', () => {
    expect(token({ rateLimitPerMinute: 10 }).limits).toEqual({ perMinute: 10, perHour: 1_000 });
  });
});

describe('TokenCache', () => {
  it('loads a hash once and serves it from memory afterwards', async () => {
    const { cache, loader, loads } = setup();
    const first = await cache.resolve('hash-1', loader(token()));
    const second = await cache.resolve('hash-1', loader(undefined));
    expect(second).toBe(first);
    expect(loads()).toBe(1);
  });

  it('shares one load between concurrent misses of the same hash', async () => {
    const { cache, loader, loads } = setup();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => cache.resolve('hash-1', loader(token()))),
    );
    expect(new Set(results).size).toBe(1);
    expect(loads()).toBe(1);
  });

  it.each([
    ['the token', { kind: 'token', tokenId: 'tok_1' }, true],
    ['another token', { kind: 'token', tokenId: 'tok_2' }, false],
    ['its organisation', { kind: 'organization', organizationId: 'org_1' }, true],
    ['another organisation', { kind: 'organization', organizationId: 'org_2' }, false],
    ['its subject', { kind: 'member', organizationId: 'org_1', userId: 'usr_1' }, true],
    ['another member', { kind: 'member', organizationId: 'org_1', userId: 'usr_2' }, false],
    [
      'its subject in another organisation',
      { kind: 'member', organizationId: 'org_2', userId: 'usr_1' },
      false,
    ],
  ] as const)('an invalidation of %s evicts it: %s', async (_label, event, evicted) => {
    const { cache, invalidation, loader, loads } = setup();
    await cache.resolve('hash-1', loader(token()));
    await invalidation.publish(event);
    await cache.resolve('hash-1', loader(token()));
    expect(loads()).toBe(evicted ? 2 : 1);
  });

  it('evicts both hashes of a rotated token (current and previous)', async () => {
    const { cache, invalidation, loader, loads } = setup();
    const rotated = { hash: 'new', previousHash: 'old', previousHashExpiresAt: new Date('2031-01-01') };
    await cache.resolve('new', loader(token(rotated, 'new')));
    await cache.resolve('old', loader(token(rotated, 'old')));
    await invalidation.publish({ kind: 'token', tokenId: 'tok_1' });
    expect(cache.size).toBe(0);
    expect(loads()).toBe(2);
  });

  it('does not store a load that was under way when an invalidation arrived', async () => {
    const { cache, invalidation, loader, loads } = setup();
    let release: (value: CachedToken) => void = () => {};
    const stale = cache.resolve('hash-1', () => new Promise<CachedToken>((resolve) => (release = resolve)));
    await invalidation.publish({ kind: 'token', tokenId: 'tok_1' });
    // A request after the invalidation must not join the stale load either.
    const fresh = cache.resolve('hash-1', loader(token({ revokedAt: new Date() })));
    release(token());
    expect((await stale)?.revoked).toBe(false);
    expect((await fresh)?.revoked).toBe(true);
    // What is cached now is the fresh (revoked) record, not the stale one.
    expect((await cache.resolve('hash-1', loader(undefined)))?.revoked).toBe(true);
    expect(loads()).toBe(1);
  });

  it('reloads an entry after its TTL', async () => {
    const { cache, clock, loader, loads } = setup({ ttlMs: 1_000 });
    await cache.resolve('hash-1', loader(token()));
    clock.advance(999);
    await cache.resolve('hash-1', loader(token()));
    clock.advance(1);
    await cache.resolve('hash-1', loader(token()));
    expect(loads()).toBe(2);
  });

  it('reloads an entry in use in the background before its TTL, so no request waits for it', async () => {
    let reloads = 0;
    let answer: CachedToken | undefined = token({ name: 'renamed' });
    const { cache, clock, loader, loads } = setup({
      ttlMs: 60_000,
      reload: async () => {
        reloads++;
        return answer;
      },
    });
    await cache.resolve('hash-1', loader(token()));
    clock.advance(49_999);
    expect(cache.get('hash-1')?.tokenObject.name).toBe('laptop');
    expect(reloads).toBe(0);
    // Past the refresh age (the TTL less 10 s): still answered at once, and reloaded once behind the scenes.
    clock.advance(1);
    expect(cache.get('hash-1')?.tokenObject.name).toBe('laptop');
    expect(cache.get('hash-1')?.tokenObject.name).toBe('laptop');
    await new Promise((resolve) => setImmediate(resolve));
    expect(reloads).toBe(1);
    expect(cache.get('hash-1')?.tokenObject.name).toBe('renamed');
    // Well past the first load's TTL, the reloaded entry still answers: no miss ever reached a request.
    clock.advance(30_000);
    expect(cache.get('hash-1')).toBeDefined();
    expect(loads()).toBe(1);
    // A hash that no longer opens a token leaves the cache at its reload.
    answer = undefined;
    clock.advance(25_000);
    cache.get('hash-1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.get('hash-1')).toBeUndefined();
  });

  it('tries a failing background reload once a second, not on every hit', async () => {
    let reloads = 0;
    const { cache, clock, loader } = setup({
      reload: async () => {
        reloads++;
        throw new Error('database unreachable');
      },
    });
    await cache.resolve('hash-1', loader(token()));
    clock.advance(55_000);
    for (let i = 0; i < 100; i++) {
      expect(cache.get('hash-1')).toBeDefined();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(reloads).toBe(1);
    clock.advance(1_000);
    cache.get('hash-1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(reloads).toBe(2);
  });

  it('hands a failing background reload’s error to a miss that joins it, not an unknown token', async () => {
    let fail: (error: Error) => void = () => {};
    const { cache, clock, loader } = setup({
      reload: () => new Promise<CachedToken>((_resolve, reject) => (fail = reject)),
    });
    await cache.resolve('hash-1', loader(token()));
    clock.advance(59_999);
    cache.get('hash-1');
    // The entry expires while the reload is still waiting for the database.
    clock.advance(1);
    const joined = cache.resolve('hash-1', loader(token()));
    fail(new Error('database unreachable'));
    await expect(joined).rejects.toThrow('database unreachable');
  });

  it('does not store a background reload that an invalidation overtook', async () => {
    let release: (value: CachedToken) => void = () => {};
    const { cache, clock, invalidation, loader } = setup({
      reload: () => new Promise<CachedToken>((resolve) => (release = resolve)),
    });
    await cache.resolve('hash-1', loader(token()));
    clock.advance(55_000);
    cache.get('hash-1');
    await invalidation.publish({ kind: 'token', tokenId: 'tok_1' });
    release(token({ name: 'stale' }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.get('hash-1')).toBeUndefined();
  });

  it('keeps at most maxEntries hashes, dropping the least recently used', async () => {
    const { cache, loader, loads } = setup({ maxEntries: 2 });
    await cache.resolve('a', loader(token()));
    await cache.resolve('b', loader(token()));
    await cache.resolve('a', loader(token())); // a is now the most recent
    await cache.resolve('c', loader(token())); // evicts b
    expect(cache.size).toBe(2);
    expect(loads()).toBe(3);
    await cache.resolve('a', loader(token()));
    expect(loads()).toBe(3);
    await cache.resolve('b', loader(token()));
    expect(loads()).toBe(4);
  });

  it('remembers an unknown hash briefly, then asks again', async () => {
    const { cache, clock, loader, loads } = setup({ negativeTtlMs: 5_000 });
    expect(await cache.resolve('nope', loader(undefined))).toBeUndefined();
    expect(await cache.resolve('nope', loader(undefined))).toBeUndefined();
    expect(loads()).toBe(1);
    clock.advance(5_000);
    await cache.resolve('nope', loader(undefined));
    expect(loads()).toBe(2);
  });

  it('does not cache a failed load', async () => {
    const { cache, loader, loads } = setup();
    await expect(
      cache.resolve('hash-1', async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
    expect(await cache.resolve('hash-1', loader(token()))).toBeDefined();
    expect(loads()).toBe(1);
  });
});
