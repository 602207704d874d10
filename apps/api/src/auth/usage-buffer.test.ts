import { type DatabaseHandle, jsonb } from '@tollgate/db';
import { createTestDatabase } from '@tollgate/db/testing';
import { DEFAULT_POLICY, newId, newToken } from '@tollgate/domain';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createQueryCounter } from '../../test/helpers/query-counter.ts';
import { manualClock } from '../clock.ts';
import { UsageBuffer } from './usage-buffer.ts';

describe('UsageBuffer', () => {
  let database: DatabaseHandle;
  const counter = createQueryCounter();
  /** Make every statement fail: true for an error without a code, or the error itself (a refused connection). */
  let failing: boolean | Error = false;
  /** Holds every statement's answer until it resolves (a flush under way). */
  let answering: Promise<void> = Promise.resolve();
  const organizationId = newId('organization');
  const tokenIds: string[] = [];
  const warnings: string[] = [];
  const infos: string[] = [];
  const log = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        const { msg, level } = JSON.parse(line) as { msg: string; level: number };
        (level >= 40 ? warnings : infos).push(msg);
      },
    },
  );

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db
      .insertInto('organizations')
      .values({
        id: organizationId,
        name: 'Usage',
        slug: `usage-${organizationId.slice(-6).toLowerCase()}`,
        customRateLimitPerMinute: null,
        customRateLimitPerHour: null,
        policy: jsonb({ ...DEFAULT_POLICY }),
      })
      .execute();
    for (let i = 0; i < 3; i++) {
      const { hash, prefix } = newToken('service');
      const id = newId('token');
      tokenIds.push(id);
      await database.db
        .insertInto('tokens')
        .values({
          id,
          organizationId,
          type: 'service',
          subjectUserId: null,
          createdByUserId: null,
          createdByTokenId: null,
          name: `usage ${i}`,
          description: null,
          environment: null,
          scopes: ['wiki:read'],
          rateLimitPerMinute: null,
          rateLimitPerHour: null,
          expiresAt: null,
          revokedAt: null,
          lastUsedAt: null,
          lastUsedIp: null,
          prefix,
          hash,
          previousHash: null,
          previousHashExpiresAt: null,
          expiryNotifiedAt: null,
        })
        .execute();
    }
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(() => {
    counter.reset();
    failing = false;
    answering = Promise.resolve();
    warnings.length = 0;
    infos.length = 0;
  });

  function buffer(options: { maxTokens?: number } = {}) {
    // Counts statements, and fails them on demand to stand for an unreachable database.
    const db = database.db.withPlugin({
      transformQuery(args) {
        if (failing instanceof Error) throw failing;
        if (failing) throw new Error('something else went wrong');
        return counter.plugin.transformQuery(args);
      },
      transformResult: async (args) => {
        await answering;
        return args.result;
      },
    });
    return new UsageBuffer({ db, log, clock: manualClock(), flushIntervalMs: 60_000, ...options });
  }

  /** What pg raises for a server that is down. */
  function refused(): Error {
    return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  }

  async function usageOf(tokenId: string) {
    const daily = await database.db
      .selectFrom('tokenUsageDaily')
      .select(['day', 'requestCount'])
      .where('tokenId', '=', tokenId)
      .orderBy('day')
      .execute();
    const token = await database.db
      .selectFrom('tokens')
      .select(['lastUsedAt', 'lastUsedIp'])
      .where('id', '=', tokenId)
      .executeTakeFirstOrThrow();
    return { daily, ...token };
  }

  it('writes counts per UTC day and the latest use, in one statement for any number of tokens', async () => {
    const usage = buffer();
    const [a, b, c] = tokenIds as [string, string, string];
    const late = new Date('2030-03-01T23:59:59.000Z');
    const nextDay = new Date('2030-03-02T00:00:01.000Z');
    for (let i = 0; i < 500; i++) usage.record(a, organizationId, '203.0.113.7', late);
    usage.record(a, organizationId, '::ffff:198.51.100.1', nextDay);
    for (let i = 0; i < 200; i++) usage.record(b, organizationId, '2001:DB8:0:0::1', late);
    usage.record(c, organizationId, '192.0.2.1', late);
    expect(counter.total()).toBe(0);

    await usage.flush();

    expect(counter.writes()).toBe(1);
    expect(await usageOf(a)).toEqual({
      daily: [
        { day: '2030-03-01', requestCount: 500 },
        { day: '2030-03-02', requestCount: 1 },
      ],
      lastUsedAt: nextDay,
      // Stored in canonical form, as lists show it.
      lastUsedIp: '198.51.100.1',
    });
    expect((await usageOf(b)).lastUsedIp).toBe('2001:db8::1');
    expect(usage.pendingTokens).toBe(0);
  });

  it('adds to the counts already stored and never moves lastUsedAt back', async () => {
    const usage = buffer();
    const [, , c] = tokenIds as [string, string, string];
    usage.record(c, organizationId, '192.0.2.9', new Date('2030-03-01T10:00:00.000Z'));
    usage.record(c, organizationId, '192.0.2.9', new Date('2030-03-01T11:00:00.000Z'));
    await usage.flush();
    expect(await usageOf(c)).toEqual({
      daily: [{ day: '2030-03-01', requestCount: 3 }],
      // The earlier test's later use stays.
      lastUsedAt: new Date('2030-03-01T23:59:59.000Z'),
      lastUsedIp: '192.0.2.1',
    });
  });

  it('keeps the counts of a failed flush, logs a warning and writes them with the next flush', async () => {
    const usage = buffer();
    const [a] = tokenIds as [string];
    const at = new Date('2030-04-01T12:00:00.000Z');
    for (let i = 0; i < 7; i++) usage.record(a, organizationId, '203.0.113.7', at);
    failing = true;
    await usage.flush();
    expect(warnings).toEqual(['could not write token usage; keeping it for the next flush']);
    expect(usage.pendingTokens).toBe(1);

    usage.record(a, organizationId, '203.0.113.8', new Date(at.getTime() + 1_000));
    failing = false;
    await usage.flush();
    const stored = await usageOf(a);
    expect(stored.daily).toContainEqual({ day: '2030-04-01', requestCount: 8 });
    expect(stored.lastUsedIp).toBe('203.0.113.8');
  });

  it('through an outage: logs it once, merges every failed batch into the next, writes all once it is back', async () => {
    const usage = buffer();
    const [a, b] = tokenIds as [string, string];
    const at = new Date('2030-06-01T12:00:00.000Z');
    failing = refused();
    for (let flush = 0; flush < 4; flush++) {
      usage.record(a, organizationId, '203.0.113.1', at);
      usage.record(b, organizationId, '203.0.113.2', at);
      await usage.flush();
    }
    expect(warnings).toEqual(['usage flush: database unavailable; retrying until it is back']);
    expect(usage.pendingTokens).toBe(2);

    failing = false;
    await usage.flush();
    expect(infos).toEqual(['usage flush: database available again; resumed']);
    expect((await usageOf(a)).daily).toContainEqual({ day: '2030-06-01', requestCount: 4 });
    expect((await usageOf(b)).daily).toContainEqual({ day: '2030-06-01', requestCount: 4 });
    expect(usage.pendingTokens).toBe(0);
    expect(usage.droppedRequests).toBe(0);
  });

  it('holds at most maxTokens tokens: requests of further ones are dropped, counted and logged once', async () => {
    const usage = buffer({ maxTokens: 2 });
    const [a, b, c] = tokenIds as [string, string, string];
    const at = new Date('2030-07-01T12:00:00.000Z');
    failing = refused();
    usage.record(a, organizationId, '203.0.113.1', at);
    usage.record(b, organizationId, '203.0.113.2', at);
    await usage.flush();
    // Full: a token already held keeps counting, a new one does not.
    usage.record(a, organizationId, '203.0.113.1', at);
    for (let i = 0; i < 3; i++) usage.record(c, organizationId, '203.0.113.3', at);
    await usage.flush();
    expect(usage.pendingTokens).toBe(2);
    expect(usage.droppedRequests).toBe(3);
    expect(warnings).toEqual([
      'usage flush: database unavailable; retrying until it is back',
      'token usage buffer full while flushes fail: requests of further tokens are not counted until one succeeds',
    ]);

    failing = false;
    await usage.flush();
    expect(warnings.at(-1)).toBe(
      'token usage written again; requests dropped while the buffer was full are not counted',
    );
    expect((await usageOf(a)).daily).toContainEqual({ day: '2030-07-01', requestCount: 2 });
    expect((await usageOf(c)).daily).not.toContainEqual(expect.objectContaining({ day: '2030-07-01' }));
    // Room again.
    usage.record(c, organizationId, '203.0.113.3', at);
    expect(usage.pendingTokens).toBe(1);
  });

  it('counts a batch being written as pending until it is, each token once', async () => {
    const usage = buffer({ maxTokens: 2 });
    const [a, b, c] = tokenIds as [string, string, string];
    const at = new Date('2030-08-01T12:00:00.000Z');
    let answer: () => void = () => {};
    answering = new Promise((resolve) => {
      answer = resolve;
    });
    usage.record(a, organizationId, '203.0.113.1', at);
    const flushing = usage.flush();
    await vi.waitFor(() => expect(counter.total()).toBe(1));
    usage.record(a, organizationId, '203.0.113.1', at);
    usage.record(b, organizationId, '203.0.113.2', at);
    expect(usage.pendingTokens).toBe(2);
    // The batch in flight still holds its place under maxTokens.
    usage.record(c, organizationId, '203.0.113.3', at);
    expect(usage.droppedRequests).toBe(1);
    answer();
    await flushing;
    expect(usage.pendingTokens).toBe(2);
  });

  it('writes what is buffered when stopped', async () => {
    const usage = buffer();
    const [, b] = tokenIds as [string, string];
    usage.start();
    usage.record(b, organizationId, '2001:db8::2', new Date('2030-05-01T00:00:00.000Z'));
    await usage.stop();
    expect((await usageOf(b)).daily).toContainEqual({ day: '2030-05-01', requestCount: 1 });
  });

  it('does nothing when there is nothing to write', async () => {
    await buffer().flush();
    expect(counter.total()).toBe(0);
  });
});
