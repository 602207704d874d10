import { scryptSync } from 'node:crypto';
import { type DatabaseHandle, jsonb } from '@tollgate/db';
import { createTestDatabase } from '@tollgate/db/testing';
import {
  DEFAULT_POLICY,
  newId,
  newToken,
  type Role,
  type Scope,
  type Tier,
  type TOrganizationPolicy,
  type TokenKind,
} from '@tollgate/domain';
import { pino } from 'pino';
import { manualClock } from '../../src/clock.ts';
import { loadEnv } from '../../src/env.ts';
import type { RateLimiterServiceOptions } from '../../src/ratelimit/limiter.ts';
import type { RequestInfo } from '../../src/request-info.ts';
import { createPlaygroundDispatcher } from '../../src/rest/playground.ts';
import { buildRouteTable } from '../../src/rest/route-table.ts';
import { appRouter } from '../../src/routers/root.ts';
import { createServices, type ServicesRuntime } from '../../src/services.ts';
import { createContextInner } from '../../src/trpc/context.ts';
import { createCallerFactory } from '../../src/trpc/init.ts';

const createCaller = createCallerFactory(appRouter);
/** The playground's dispatcher, as server.ts hands it to every tRPC context. */
const playground = createPlaygroundDispatcher(buildRouteTable(appRouter));

const UNREACHED = { perMinute: 1_000_000, perHour: 1_000_000 };
/** What the harness limits requests to unless a test says otherwise: nothing a test would notice. */
const UNREACHED_RATE_LIMITS: RateLimiterServiceOptions = {
  tiers: {
    free: UNREACHED,
    basic: UNREACHED,
    standard: UNREACHED,
    premium: UNREACHED,
    enterprise: UNREACHED,
  },
  failedAuthPerMinute: 1_000_000,
};

export interface SeededUser {
  id: string;
  email: string;
  password: string;
  role: Role;
}

export interface SeededOrganization {
  id: string;
  slug: string;
  /** One user per role, each a member of this organisation. */
  users: Record<Role, SeededUser>;
}

export interface IssueTokenOptions {
  organizationId: string;
  type?: TokenKind;
  /** Required for personal tokens. */
  subjectUserId?: string | null;
  scopes: readonly Scope[];
  ipAllowlist?: string[];
  expiresAt?: Date | null;
  active?: boolean;
  revokedAt?: Date | null;
  rateLimitPerMinute?: number | null;
  rateLimitPerHour?: number | null;
}

/**
 * A fresh database (PostgreSQL when DATABASE_URL is set, PGlite otherwise), services on a manual clock, and
 * helpers to seed organisations, users and tokens directly — for tests of everything that builds on them.
 */
export async function createTestHarness(
  options: {
    env?: Record<string, string>;
    wrapDatabase?: (database: DatabaseHandle) => DatabaseHandle;
    /**
     * Rate-limit store and test limits. Default: memory, and limits no test reaches (tests of other things
     * make more than 60 calls a minute); pass `{}` for the §6 numbers.
     */
    rateLimits?: RateLimiterServiceOptions;
  } = {},
) {
  const rawDatabase = await createTestDatabase();
  const database = options.wrapDatabase ? options.wrapDatabase(rawDatabase) : rawDatabase;
  const env = loadEnv({ LOG_LEVEL: 'silent', ...options.env });
  const clock = manualClock(new Date());
  const services: ServicesRuntime = createServices({
    env,
    database,
    log: pino({ level: 'silent' }),
    clock,
    usageFlushIntervalMs: 60_000,
    // Tests move time by hand and send webhooks with services.webhooks.runOnce().
    webhookWorker: false,
    // …and process leak reports with services.leakReports.kick(): no background queries during a test.
    leakReportJob: false,
    rateLimits: options.rateLimits ?? UNREACHED_RATE_LIMITS,
  });
  await services.start();
  let counter = 0;

  /** A caller as the REST facade and the web app make it: through the same procedures, with a request. */
  function caller(request: Partial<RequestInfo> = {}) {
    return createCaller(createContextInner({ services, request, playground }));
  }

  /** A caller that authenticates with `Authorization: Bearer <token>`. */
  function callerWithToken(token: string, request: Partial<RequestInfo> = {}) {
    return caller({ authorization: `Bearer ${token}`, ...request });
  }

  async function seedUser(
    role: Role,
    organizationId: string | null,
    label: string = role,
  ): Promise<SeededUser> {
    counter += 1;
    const id = newId('user');
    const email = `${label}-${counter}-${id.slice(-6)}@example.test`.toLowerCase();
    const password = `correct horse ${counter} battery`;
    // A cheap scrypt for tests; the real cost parameters live in auth/password.ts.
    const salt = id.slice(-16);
    const passwordHash = `scrypt$1024$8$1$${Buffer.from(salt).toString('base64url')}$${scryptSync(password, salt, 32, { N: 1024 }).toString('base64url')}`;
    await services.db
      .insertInto('users')
      .values({ id, email, name: `${label} user`, passwordHash })
      .execute();
    if (organizationId) {
      await services.db.insertInto('memberships').values({ organizationId, userId: id, role }).execute();
    }
    return { id, email, password, role };
  }

  async function seedOrganization(
    opts: { tier?: Tier; policy?: Partial<TOrganizationPolicy>; slug?: string } = {},
  ): Promise<SeededOrganization> {
    counter += 1;
    const id = newId('organization');
    const slug = opts.slug ?? `org-${counter}-${id.slice(-6).toLowerCase()}`;
    await services.db
      .insertInto('organizations')
      .values({
        id,
        name: `Organisation ${counter}`,
        slug,
        tier: opts.tier ?? 'free',
        customRateLimitPerMinute: null,
        customRateLimitPerHour: null,
        policy: jsonb({ ...DEFAULT_POLICY, ...opts.policy }),
      })
      .execute();
    const users = {} as Record<Role, SeededUser>;
    for (const role of ['owner', 'admin', 'member', 'viewer'] as const)
      users[role] = await seedUser(role, id);
    return { id, slug, users };
  }

  /** Inserts a token directly (bypassing the create procedure's rules) and returns its secret once. */
  async function issueToken(opts: IssueTokenOptions): Promise<{ id: string; token: string }> {
    const type = opts.type ?? 'personal';
    const { token, hash, prefix } = newToken(type, { prefix: env.TOKEN_PREFIX });
    const id = newId('token');
    await services.db
      .insertInto('tokens')
      .values({
        id,
        organizationId: opts.organizationId,
        type,
        subjectUserId: type === 'personal' ? (opts.subjectUserId ?? null) : null,
        createdByUserId: opts.subjectUserId ?? null,
        createdByTokenId: null,
        name: `test token ${id.slice(-6)}`,
        description: null,
        environment: null,
        scopes: [...opts.scopes],
        ipAllowlist: opts.ipAllowlist ?? [],
        rateLimitPerMinute: opts.rateLimitPerMinute ?? null,
        rateLimitPerHour: opts.rateLimitPerHour ?? null,
        expiresAt: opts.expiresAt ?? null,
        active: opts.active ?? true,
        revokedAt: opts.revokedAt ?? null,
        revokedReason: opts.revokedAt ? 'manual' : null,
        lastUsedAt: null,
        lastUsedIp: null,
        prefix,
        hash,
        previousHash: null,
        previousHashExpiresAt: null,
        expiryNotifiedAt: null,
      })
      .execute();
    return { id, token };
  }

  return {
    services,
    database,
    /** The test database's connection string (PostgreSQL runs only), for server processes sharing it. */
    databaseUrl: rawDatabase.url,
    env,
    clock,
    caller,
    callerWithToken,
    seedUser,
    seedOrganization,
    issueToken,
    async close() {
      await services.stop();
      await rawDatabase.close();
    },
  };
}

export type TestHarness = Awaited<ReturnType<typeof createTestHarness>>;
