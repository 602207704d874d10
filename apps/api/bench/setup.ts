import {
  type DatabaseHandle,
  insertMembership,
  insertOrganization,
  insertTokens,
  insertUser,
  type NewToken,
} from '@tollgate/db';
import { createTestDatabase } from '@tollgate/db/testing';
import { DEFAULT_POLICY, newId, newToken } from '@tollgate/domain';
import { pino } from 'pino';
import { loadEnv } from '../src/env.ts';
import { createServices, type Services } from '../src/services.ts';
import { createQueryCounter, type QueryCounter } from '../test/helpers/query-counter.ts';

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  engine: 'postgres' | 'pglite';
  /** Where it runs, for the report (no credentials). */
  label: string;
  database: DatabaseHandle;
  /** PostgreSQL only: the throwaway database's URL, for server processes of the benchmark. */
  url?: string;
  close(): Promise<void>;
}

/**
 * A throwaway, migrated database: on the PostgreSQL server of `serverUrl` (a database of its own, dropped
 * on close), or in-memory PGlite. Reuses the test databases of @tollgate/db, which do exactly that.
 */
export async function openBenchDatabase(
  engine: 'postgres' | 'pglite',
  serverUrl: string,
): Promise<BenchDatabase> {
  const saved = process.env.DATABASE_URL;
  try {
    if (engine === 'postgres') process.env.DATABASE_URL = serverUrl;
    else delete process.env.DATABASE_URL;
    const database = await createTestDatabase();
    const label = engine === 'postgres' ? `PostgreSQL at ${redact(serverUrl)}` : 'PGlite (in memory)';
    return { engine, label, database, url: database.url, close: () => database.close() };
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  parsed.username = '';
  parsed.pathname = '/…';
  return parsed.host;
}

export interface BenchServices {
  services: Services;
  counter: QueryCounter;
  stop(): Promise<void>;
}

/** Services on the database with every statement counted, the usage buffer flushed only when told. */
export function benchServices(database: DatabaseHandle): BenchServices {
  const counter = createQueryCounter();
  const services = createServices({
    env: loadEnv({ LOG_LEVEL: 'silent' }),
    database: { ...database, db: database.db.withPlugin(counter.plugin) },
    log: pino({ level: 'silent' }),
    // Never fires during a run: flushes happen where the benchmark says.
    usageFlushIntervalMs: 3_600_000,
    // Counted in memory as in production, but never refused: a run makes far more than 1,200 calls a minute.
    rateLimits: { tiers: { enterprise: { perMinute: 1_000_000_000, perHour: 1_000_000_000 } } },
  });
  return { services, counter, stop: () => services.stop() };
}

/** One organisation with a member, and `count` personal tokens of that member (all scopes a member has). */
export async function seedTokens(database: DatabaseHandle, count: number): Promise<string[]> {
  const db = database.db;
  const organizationId = newId('organization');
  const userId = newId('user');
  await insertOrganization(db, {
    id: organizationId,
    name: 'Benchmark',
    slug: `bench-${organizationId.slice(-8).toLowerCase()}`,
    tier: 'enterprise',
    customRateLimitPerMinute: null,
    customRateLimitPerHour: null,
    policy: { ...DEFAULT_POLICY, allowedIpRanges: ['10.0.0.0/8', '2001:db8::/32'] },
  });
  await insertUser(db, {
    id: userId,
    email: `bench-${userId.slice(-8)}@example.test`.toLowerCase(),
    name: 'Bench',
    passwordHash: 'x',
  });
  await insertMembership(db, { organizationId, userId, role: 'member' });
  const tokens: string[] = [];
  const rows: NewToken[] = [];
  for (let i = 0; i < count; i++) {
    const { token, hash, prefix } = newToken('personal');
    tokens.push(token);
    rows.push({
      id: newId('token'),
      organizationId,
      type: 'personal' as const,
      subjectUserId: userId,
      createdByUserId: userId,
      createdByTokenId: null,
      name: `bench ${i}`,
      description: null,
      environment: null,
      scopes: ['wiki:read', 'wiki:write', 'reviews:read'],
      // A realistic allowlist, so the warm path pays for an IP match.
      ipAllowlist: ['10.1.0.0/16', '2001:db8:1::/48'],
      rateLimitPerMinute: null,
      rateLimitPerHour: null,
      expiresAt: new Date(Date.now() + 86_400_000),
      revokedAt: null,
      lastUsedAt: null,
      lastUsedIp: null,
      prefix,
      hash,
      previousHash: null,
      previousHashExpiresAt: null,
      expiryNotifiedAt: null,
    });
  }
  await insertTokens(db, rows);
  return tokens;
}

/** The service tokens the HTTP benchmark presents: made once, inserted into every database it runs on. */
export interface ServiceTokens {
  organizationId: string;
  /** The plaintext tokens, for the load generator only. */
  tokens: string[];
  rows: NewToken[];
}

/**
 * `count` service tokens (scopes wiki:read and organization:read, no IP allowlist) of one enterprise
 * organisation whose custom limits are far above any load: every request is counted in both windows, none
 * is refused.
 */
export function makeServiceTokens(count: number): ServiceTokens {
  const organizationId = newId('organization');
  const tokens: string[] = [];
  const rows: NewToken[] = [];
  for (let i = 0; i < count; i++) {
    const { token, hash, prefix } = newToken('service');
    tokens.push(token);
    rows.push({
      id: newId('token'),
      organizationId,
      type: 'service',
      name: `http bench ${i}`,
      scopes: ['wiki:read', 'organization:read'],
      prefix,
      hash,
    });
  }
  return { organizationId, tokens, rows };
}

export async function insertServiceTokens(database: DatabaseHandle, seed: ServiceTokens): Promise<void> {
  await insertOrganization(database.db, {
    id: seed.organizationId,
    name: 'HTTP benchmark',
    slug: `bench-http-${seed.organizationId.slice(-8).toLowerCase()}`,
    tier: 'enterprise',
    customRateLimitPerMinute: 1_000_000_000,
    customRateLimitPerHour: 1_000_000_000,
    policy: DEFAULT_POLICY,
  });
  await insertTokens(database.db, seed.rows);
}
