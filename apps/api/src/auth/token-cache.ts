import { type Database, findTokenForVerification, type TokenVerificationRow } from '@tollgate/db';
import {
  compileIpAllowlist,
  effectiveLimits,
  effectiveScopes,
  type IpMatcher,
  normalizeScopes,
  type RateLimits,
  resolvePolicy,
  type Scope,
  type TToken,
  tierLimits,
} from '@tollgate/domain';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import { toTokenObject } from '../core/token-object.ts';
import type { Invalidation, InvalidationEvent } from '../invalidation.ts';
import type { RateLimitSubject } from '../ratelimit/limiter.ts';
import type { TokenPrincipal } from './principal.ts';

/**
 * What verification needs about one presented hash, prepared once when it is loaded: the checks of §3 on a
 * warm cache are then a few comparisons, a compiled IP match and a Set lookup.
 */
export interface CachedToken {
  tokenId: string;
  organizationId: string;
  /** The subject of a personal token; null for service tokens. */
  subjectUserId: string | null;
  revoked: boolean;
  active: boolean;
  /** Epoch milliseconds; null for a token that never expires. */
  expiresAtMs: number | null;
  /**
   * When the presented hash is a rotated token's previous hash: the end of its grace period (epoch ms).
   * Null when it is the token's current hash.
   */
  graceEndsAtMs: number | null;
  /**
   * Personal tokens: whether the subject is still a member (`role` is null otherwise) and whether the
   * organisation policy lets that role use tokens. Always true for service tokens.
   */
  isMember: boolean;
  roleMayUseTokens: boolean;
  /** The token's own ipAllowlist and the organisation's allowedIpRanges: both must allow the client. */
  tokenIpAllowed: IpMatcher;
  organizationIpAllowed: IpMatcher;
  /** The limits the next issue's rate limiter applies: the organisation's tier, lowered by the token's own. */
  limits: RateLimits;
  /** What the rate limiter counts the token's requests against: tier, custom limits and the token's own. */
  rateLimitSubject: RateLimitSubject;
  /** The principal handed to procedures, with the effective scopes (token scopes ∩ the role's ceiling). */
  principal: TokenPrincipal;
  /**
   * The token object of §3 as loaded (never the hash), so that `tokens.self` answers without a query: every
   * change to a token invalidates its entry, so it is as fresh as the checks made from it. Its status is the
   * one at load time and its lastUsedAt the one stored then; tokens.self fills in both for the request.
   */
  tokenObject: Readonly<TToken>;
  /** The principal's effective scopes as a sorted list, for `tokens.self`. */
  effectiveScopes: readonly Scope[];
}

/** What a successful verification hands on: the principal, the token object, its effective scopes and limits. */
export type VerifiedToken = Pick<CachedToken, 'principal' | 'tokenObject' | 'effectiveScopes' | 'limits'>;

/** Prepares a looked-up row for the request path (scopes intersected, IP lists compiled, policy resolved). */
/** After a background reload of an entry, how long before another may start (a failed one: the database is away). */
const RELOAD_RETRY_MS = 1_000;

/** The cache's record of a current or previous secret's token: one indexed query; undefined for any other hash. */
export async function loadTokenRecord(db: Kysely<Database>, hash: string): Promise<CachedToken | undefined> {
  const row = await findTokenForVerification(db, hash);
  return row ? compileCachedToken(row, hash) : undefined;
}

export function compileCachedToken(row: TokenVerificationRow, presentedHash: string): CachedToken {
  const role = row.type === 'personal' ? row.subjectRole : null;
  const policy = resolvePolicy(row.organizationPolicy);
  const scopes = effectiveScopes({ tokenScopes: row.scopes, type: row.type, subjectRole: role });
  const principal: TokenPrincipal = Object.freeze({
    kind: 'token' as const,
    tokenId: row.id,
    tokenType: row.type,
    organizationId: row.organizationId,
    userId: row.type === 'personal' ? row.subjectUserId : null,
    role,
    scopes: new Set(scopes),
  });
  const matchedPrevious = row.hash !== presentedHash;
  return {
    tokenId: row.id,
    organizationId: row.organizationId,
    subjectUserId: principal.userId,
    revoked: row.revokedAt !== null,
    active: row.active,
    expiresAtMs: row.expiresAt?.getTime() ?? null,
    // A row found by its previous hash without a grace end has no grace at all.
    graceEndsAtMs: matchedPrevious ? (row.previousHashExpiresAt?.getTime() ?? 0) : null,
    isMember: row.type === 'service' || role !== null,
    roleMayUseTokens: row.type === 'service' || (role !== null && policy.tokenUseRoles.includes(role)),
    tokenIpAllowed: compileIpAllowlist(row.ipAllowlist),
    organizationIpAllowed: compileIpAllowlist(policy.allowedIpRanges),
    limits: limitsOf(row),
    rateLimitSubject: {
      organizationId: row.organizationId,
      tokenId: row.id,
      source: {
        tier: row.organizationTier,
        organizationCustom: {
          perMinute: row.organizationCustomRateLimitPerMinute,
          perHour: row.organizationCustomRateLimitPerHour,
        },
        token: { perMinute: row.rateLimitPerMinute, perHour: row.rateLimitPerHour },
      },
    },
    principal,
    tokenObject: Object.freeze(toTokenObject(row, new Date())),
    effectiveScopes: Object.freeze(normalizeScopes(scopes)),
  };
}

function limitsOf(row: TokenVerificationRow): RateLimits {
  const organization = tierLimits(row.organizationTier, {
    perMinute: row.organizationCustomRateLimitPerMinute,
    perHour: row.organizationCustomRateLimitPerHour,
  });
  return effectiveLimits(organization, { perMinute: row.rateLimitPerMinute, perHour: row.rateLimitPerHour });
}

export interface TokenCacheOptions {
  invalidation: Invalidation;
  clock: Clock;
  /** Most hashes kept; the least recently used goes first. Default 10,000. */
  maxEntries?: number;
  /**
   * How long an entry lives at most (default 60 s). Invalidations keep entries correct; the TTL is only a
   * safety net for a lost notification.
   */
  ttlMs?: number;
  /**
   * Reloads a known hash in the background once its entry is older than {@link refreshAfterMs}, while the
   * entry keeps answering: in steady state no request waits for the TTL's reload (a token used all the time
   * would otherwise cost one request a database round trip every TTL, and 100 tokens loaded together would
   * all miss in the same second). Absent: entries are reloaded only on a miss.
   */
  reload?: (hash: string) => Promise<CachedToken | undefined>;
  /** Age from which a used entry is reloaded in the background (default: the TTL less 10 s, at least half). */
  refreshAfterMs?: number;
  /** How long an unknown hash is remembered as unknown (default 5 s; 0 disables it). */
  negativeTtlMs?: number;
  /** Most unknown hashes kept (default 10,000), apart from known ones so a flood cannot evict them. */
  maxNegativeEntries?: number;
}

interface Entry {
  token: CachedToken;
  storedAtMs: number;
  /** No background reload before this time (epoch ms): set when one failed, so an outage is not hammered. */
  reloadNotBeforeMs?: number;
  /** When it last moved to the back of the map (a counter of moves), for the LRU order. */
  sequence: number;
}

/**
 * Token records by presented hash, kept in process so a warm verification needs no database. Correctness
 * rests on invalidations (§3: revoke, deactivate, delete, rotation, role change and member removal are
 * honoured at once), and on never storing a result read before an invalidation: every invalidation bumps
 * a generation, and a load that started under an older generation is returned but not stored.
 *
 * Unknown hashes are remembered briefly, to spare the database a flood of well-formed guesses. That is safe
 * because an unknown hash only becomes known when a token with that hash is created, and a new secret's
 * hash is new; a rotation's previous hash was the token's current hash, so it was never unknown.
 */
export class TokenCache {
  readonly #clock: Clock;
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #refreshAfterMs: number;
  readonly #reload: TokenCacheOptions['reload'];
  readonly #negativeTtlMs: number;
  readonly #maxNegativeEntries: number;
  /**
   * Map iteration order is insertion order: moving an entry to the back on use makes the first key the
   * least recently used (approximately: an entry moves only once it has drifted a quarter of the way).
   */
  readonly #entries = new Map<string, Entry>();
  /** Unknown hash → epoch ms until which it counts as unknown. */
  readonly #unknown = new Map<string, number>();
  /** Loads in flight by hash, shared by concurrent misses of one hash; dropped on any invalidation. */
  readonly #loading = new Map<string, Promise<CachedToken | undefined>>();
  #generation = 0;
  #sequence = 0;
  readonly #unsubscribe: () => void;

  constructor(options: TokenCacheOptions) {
    this.#clock = options.clock;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#refreshAfterMs = options.refreshAfterMs ?? Math.max(this.#ttlMs / 2, this.#ttlMs - 10_000);
    this.#reload = options.reload;
    this.#negativeTtlMs = options.negativeTtlMs ?? 5_000;
    this.#maxNegativeEntries = options.maxNegativeEntries ?? 10_000;
    this.#unsubscribe = options.invalidation.subscribe((event) => this.invalidate(event));
  }

  /** How many hashes (known ones) are cached. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The cached record for `hash` without waiting: the record, `null` for a hash known to be unknown, or
   * undefined when it is not cached (call resolve()). This is the warm path of every request.
   */
  get(hash: string, nowMs: number = this.#clock.now().getTime()): CachedToken | null | undefined {
    const entry = this.#entries.get(hash);
    if (entry !== undefined) {
      const ageMs = nowMs - entry.storedAtMs;
      if (ageMs < this.#ttlMs) {
        // Move to the back only when it has drifted towards the front: cheaper than on every hit.
        if (this.#sequence - entry.sequence > this.#maxEntries >>> 2) this.#touch(hash, entry);
        if (ageMs >= this.#refreshAfterMs && !(nowMs < (entry.reloadNotBeforeMs ?? 0))) {
          this.#refresh(hash, entry, nowMs);
        }
        return entry.token;
      }
      this.#entries.delete(hash);
    }
    if (this.#unknown.size > 0) {
      const unknownUntil = this.#unknown.get(hash);
      if (unknownUntil !== undefined) {
        if (nowMs < unknownUntil) return null;
        this.#unknown.delete(hash);
      }
    }
    return undefined;
  }

  /**
   * The record for `hash`: from the cache, or from `load` (called at most once at a time per hash), whose
   * result is cached unless an invalidation arrived while it ran. Undefined for an unknown hash.
   */
  async resolve(
    hash: string,
    load: () => Promise<CachedToken | undefined>,
  ): Promise<CachedToken | undefined> {
    const cached = this.get(hash);
    if (cached !== undefined) return cached ?? undefined;
    const inFlight = this.#loading.get(hash);
    if (inFlight) return inFlight;

    const generation = this.#generation;
    const loading = load().then(
      (token) => {
        if (this.#loading.get(hash) === loading) this.#loading.delete(hash);
        if (generation === this.#generation) this.#store(hash, token, this.#clock.now().getTime());
        return token;
      },
      (error: unknown) => {
        if (this.#loading.get(hash) === loading) this.#loading.delete(hash);
        throw error;
      },
    );
    this.#loading.set(hash, loading);
    return loading;
  }

  /**
   * Reloads an ageing entry in the background (see {@link TokenCacheOptions.reload}), under the same rules as
   * a miss's load: one at a time per hash, not stored when an invalidation arrived meanwhile. A hash that no
   * longer opens a token leaves the cache (its next request goes the whole way); a failure (the database is
   * away) leaves the entry to its TTL.
   */
  #refresh(hash: string, entry: Entry, nowMs: number): void {
    const reload = this.#reload;
    if (reload === undefined || this.#loading.has(hash)) return;
    // One attempt per second at most for this entry, whatever comes of it.
    entry.reloadNotBeforeMs = nowMs + RELOAD_RETRY_MS;
    const generation = this.#generation;
    const loading = reload(hash).then(
      (token) => {
        if (this.#loading.get(hash) === loading) this.#loading.delete(hash);
        if (generation !== this.#generation) return token;
        if (token === undefined) this.#entries.delete(hash);
        else this.#store(hash, token, this.#clock.now().getTime());
        return token;
      },
      (error: unknown) => {
        if (this.#loading.get(hash) === loading) this.#loading.delete(hash);
        throw error;
      },
    );
    // A miss that joins this reload sees its failure (503 while the database is away, never 401); nobody
    // else waits for it, so the failure is not an unhandled rejection.
    loading.catch(() => undefined);
    this.#loading.set(hash, loading);
  }

  /** Applies an invalidation (services.invalidation calls this for every event, local or remote). */
  invalidate(event: InvalidationEvent): void {
    this.#generation++;
    // Later callers must not join a load that may have read the state from before this event.
    this.#loading.clear();
    for (const [hash, { token }] of this.#entries) {
      if (matches(token, event)) this.#entries.delete(hash);
    }
  }

  /** Forgets everything, e.g. after notifications may have been missed (a lost LISTEN connection). */
  clear(): void {
    this.#generation++;
    this.#loading.clear();
    this.#entries.clear();
    this.#unknown.clear();
  }

  /** Stops listening to invalidations. */
  close(): void {
    this.#unsubscribe();
    this.clear();
  }

  #store(hash: string, token: CachedToken | undefined, nowMs: number): void {
    if (token === undefined) {
      if (this.#negativeTtlMs <= 0) return;
      this.#unknown.delete(hash);
      this.#unknown.set(hash, nowMs + this.#negativeTtlMs);
      evictOldest(this.#unknown, this.#maxNegativeEntries);
      return;
    }
    this.#touch(hash, { token, storedAtMs: nowMs, sequence: 0 });
    evictOldest(this.#entries, this.#maxEntries);
  }

  #touch(hash: string, entry: Entry): void {
    entry.sequence = ++this.#sequence;
    this.#entries.delete(hash);
    this.#entries.set(hash, entry);
  }
}

function matches(token: CachedToken, event: InvalidationEvent): boolean {
  switch (event.kind) {
    case 'token':
      return token.tokenId === event.tokenId;
    case 'organization':
      return token.organizationId === event.organizationId;
    case 'member':
      return token.organizationId === event.organizationId && token.subjectUserId === event.userId;
    case 'all':
      return true;
  }
}

function evictOldest(map: Map<string, unknown>, max: number): void {
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) return;
    map.delete(oldest.value);
  }
}
