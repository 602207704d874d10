import type { Logger } from 'pino';
import { type RateLimiterAbstract, RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import {
  DEFAULT_FAILED_AUTH_PER_MINUTE,
  organizationLimitsOf,
  RATE_LIMIT_WINDOWS,
  type RateLimitSettings,
  type RateLimitSource,
  type RateLimitWindowName,
} from './config.ts';
import { createRateLimitStore, type RateLimitStore, type RateLimitStoreConfig } from './store.ts';

/**
 * Every limiter is created with this many points, so rate-limiter-flexible only counts and never refuses by
 * itself; the limit is compared here, per key. Limits differ per organisation (tier, enterprise custom) and
 * per token, and one limiter per (window, limit) would give an organisation a fresh counter whenever its
 * limit changes — an upgrade, or a downgrade in the middle of a burst. One counter per (window, key),
 * judged against whatever the limit is now, keeps counts across such changes and needs only two limiters.
 * (Far below 2^31: PostgreSQL's `points` column is an integer.)
 */
const COUNT_ONLY_POINTS = 1_000_000_000;

/** The name of a token's own limit in a window, as a policy of RateLimit-Policy and RateLimit. */
const TOKEN_POLICY_NAMES = RATE_LIMIT_WINDOWS.map((window) => `token-${window.name}`);

/** One window of one request, as the headers and `tokens.self` report it. */
export interface RateLimitWindowState {
  window: RateLimitWindowName;
  windowSeconds: number;
  limit: number;
  remaining: number;
  /** When the window's counter starts again, epoch milliseconds. */
  resetAtMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Both windows, minute first; each the tighter of the organisation's and the token's counters. */
  windows: RateLimitWindowState[];
  /** The window closest to exhaustion (a refusing one when refused): the one the X-RateLimit-* headers show. */
  binding: RateLimitWindowState;
  /**
   * The RateLimit-Policy field: one member per policy that applied, the organisation's windows and the token's
   * own, e.g. `"minute";q=60;w=60, "hour";q=1000;w=3600, "token-minute";q=10;w=60`.
   */
  policy: string;
  /** The counters behind {@link policy}, in its order: what the RateLimit field reports, one member each. */
  policies: RateLimitPolicyState[];
  /** Seconds to wait when refused; 0 when allowed. */
  retryAfterSeconds: number;
}

/** One policy's counter for one request: the organisation's in a window, or the token's own. */
export interface RateLimitPolicyState {
  /** The policy's name in RateLimit-Policy: the window (`minute`, `hour`), or `token-<window>`. */
  name: string;
  remaining: number;
  resetAtMs: number;
}

/** Told what the limiter does, for the metrics of §17. */
export interface RateLimitObserver {
  /** A request was counted: allowed or refused. */
  decided(allowed: boolean): void;
  /** The shared store failed and the in-memory insurance limiter counted instead. */
  storeFellBack(): void;
}

/** Who a request counts against. */
export interface RateLimitSubject {
  organizationId: string;
  /** The token's id when it has a limit of its own; null for sessions. */
  tokenId: string | null;
  source: RateLimitSource;
}

export interface RateLimiterServiceOptions extends RateLimitSettings {
  /** Default: memory. */
  store?: RateLimitStoreConfig;
}

/** One window of a source's plan: the organisation's limit, and the token's own when it is lower. */
interface PlanWindow {
  organization: number;
  token: number | null;
}

interface Plan {
  windows: PlanWindow[];
  policy: string;
}

interface Check {
  windowIndex: number;
  /** The policy's name, as in the plan's RateLimit-Policy. */
  name: string;
  limiter: RateLimiterAbstract;
  key: string;
  limit: number;
}

/**
 * The request limits of §6 and the failed-authentication limit, over one store. Each authenticated request
 * counts against its organisation in the minute and the hour window at once, and, when the token has a
 * limit of its own in a window, against the token too. A refused request is given back to every counter it
 * took from, so that hammering while refused does not stretch the refusal into the next window.
 */
export class RateLimiterService {
  readonly store: RateLimitStore;
  readonly failedAuthPerMinute: number;
  readonly #tiers: RateLimitSettings['tiers'];
  readonly #windows: RateLimiterAbstract[];
  readonly #failedAuth: RateLimiterAbstract;
  /** Failures refused before any lookup (no or a malformed token), counted in this process only. */
  readonly #failedAuthInProcess: RateLimiterMemory;
  readonly #keyPrefix: string;
  readonly #observer: RateLimitObserver | undefined;
  /** Addresses known to be over the failed-authentication limit → epoch ms until when; no store round trip. */
  readonly #blockedAddresses = new Map<string, number>();
  /** Plans per source object; sources live in the token cache, so the plan goes when the entry does. */
  readonly #plans = new WeakMap<RateLimitSource, Plan>();

  constructor(options: RateLimiterServiceOptions, log: Logger, observer?: RateLimitObserver) {
    this.#observer = observer;
    const onStoreFallback = observer && (() => observer.storeFellBack());
    this.#keyPrefix = options.keyPrefix ?? 'tollgate';
    this.#tiers = options.tiers;
    this.failedAuthPerMinute = options.failedAuthPerMinute ?? DEFAULT_FAILED_AUTH_PER_MINUTE;
    this.store = createRateLimitStore(options.store ?? { kind: 'memory' }, log);
    this.#windows = RATE_LIMIT_WINDOWS.map((window) =>
      countingFallbacks(
        this.store.createLimiter({
          keyPrefix: this.keyPrefix(`rl:${window.name}`),
          points: COUNT_ONLY_POINTS,
          durationSeconds: window.seconds,
        }),
        onStoreFallback,
      ),
    );
    this.#failedAuth = countingFallbacks(
      this.store.createLimiter({
        keyPrefix: this.keyPrefix('authfail'),
        points: COUNT_ONLY_POINTS,
        durationSeconds: 60,
      }),
      onStoreFallback,
    );
    this.#failedAuthInProcess = new RateLimiterMemory({
      keyPrefix: this.keyPrefix('authfail-process'),
      points: COUNT_ONLY_POINTS,
      duration: 60,
    });
  }

  /** A prefix for a limiter's keys in the shared store (the login limiter uses it too). */
  keyPrefix(name: string): string {
    return `${this.#keyPrefix}:${name}`;
  }

  /**
   * What a source's requests are counted against, worked out once per source object (the token cache and the
   * session path keep theirs for a while): per window the organisation's limit and the token's when lower.
   */
  #planOf(source: RateLimitSource): Plan {
    let plan = this.#plans.get(source);
    if (plan === undefined) {
      const organizationLimits = organizationLimitsOf(source, this.#tiers);
      const windows = RATE_LIMIT_WINDOWS.map((window) => {
        const organization = organizationLimits[window.field];
        const token = source.token?.[window.field];
        return { organization, token: token != null && token < organization ? token : null };
      });
      plan = {
        windows,
        // The same order as consume() checks them: the organisation's windows, then the token's own.
        policy: [
          ...RATE_LIMIT_WINDOWS.map((window, index) => {
            const { organization } = windows[index] as PlanWindow;
            return `"${window.name}";q=${organization};w=${window.seconds}`;
          }),
          ...RATE_LIMIT_WINDOWS.flatMap((window, index) => {
            const { token } = windows[index] as PlanWindow;
            return token === null ? [] : [`"${TOKEN_POLICY_NAMES[index]}";q=${token};w=${window.seconds}`];
          }),
        ].join(', '),
      };
      this.#plans.set(source, plan);
    }
    return plan;
  }

  /** Counts one request against its organisation (and token) in both windows and says whether it may go on. */
  async consume(subject: RateLimitSubject): Promise<RateLimitDecision> {
    const plan = this.#planOf(subject.source);
    const organizationKey = `org:${subject.organizationId}`;
    const tokenKey = subject.tokenId === null ? null : `token:${subject.tokenId}`;
    const checks: Check[] = [];
    for (let windowIndex = 0; windowIndex < plan.windows.length; windowIndex++) {
      const window = plan.windows[windowIndex] as PlanWindow;
      const limiter = this.#windows[windowIndex] as RateLimiterAbstract;
      const name = (RATE_LIMIT_WINDOWS[windowIndex] as (typeof RATE_LIMIT_WINDOWS)[number]).name;
      checks.push({ windowIndex, name, limiter, key: organizationKey, limit: window.organization });
    }
    if (tokenKey !== null) {
      for (let windowIndex = 0; windowIndex < plan.windows.length; windowIndex++) {
        const window = plan.windows[windowIndex] as PlanWindow;
        if (window.token === null) continue;
        const limiter = this.#windows[windowIndex] as RateLimiterAbstract;
        const name = TOKEN_POLICY_NAMES[windowIndex] as string;
        checks.push({ windowIndex, name, limiter, key: tokenKey, limit: window.token });
      }
    }

    // Store errors reject only without an insurance limiter (the memory store), which cannot fail.
    const results = await Promise.all(checks.map((check) => check.limiter.consume(check.key)));
    const nowMs = Date.now();
    // Per window, the tighter of its counters: the one closest to exhaustion, under the lowest limit.
    const windows: RateLimitWindowState[] = [];
    const policies: RateLimitPolicyState[] = [];
    let refused = false;
    let retryAfterMs = 0;
    for (let index = 0; index < checks.length; index++) {
      const check = checks[index] as Check;
      const result = results[index] as RateLimiterRes;
      // The store's expiry runs on the real clock, so the reset does too.
      const resetAtMs = nowMs + Math.max(0, result.msBeforeNext);
      if (result.consumedPoints > check.limit) {
        refused = true;
        retryAfterMs = Math.max(retryAfterMs, resetAtMs - nowMs);
      }
      const state = {
        remaining: Math.max(0, check.limit - result.consumedPoints),
        resetAtMs,
      };
      policies.push({ name: check.name, remaining: state.remaining, resetAtMs });
      const current = windows[check.windowIndex];
      // Fields written out rather than spread: on Node 20's V8, `{ ...state }` after other fields costs ~1 µs.
      if (current === undefined) {
        const window = RATE_LIMIT_WINDOWS[check.windowIndex] as (typeof RATE_LIMIT_WINDOWS)[number];
        windows[check.windowIndex] = {
          window: window.name,
          windowSeconds: window.seconds,
          limit: check.limit,
          remaining: state.remaining,
          resetAtMs: state.resetAtMs,
        };
      } else {
        current.limit = Math.min(current.limit, check.limit);
        if (closerToExhaustion(state, current)) {
          current.remaining = state.remaining;
          current.resetAtMs = state.resetAtMs;
        }
      }
    }
    if (refused) {
      await Promise.all(checks.map((check) => check.limiter.reward(check.key).catch(() => undefined)));
    }
    const binding = windows.reduce((a, b) => (closerToExhaustion(b, a) ? b : a));
    this.#observer?.decided(!refused);
    return {
      allowed: !refused,
      windows,
      binding,
      policy: plan.policy,
      policies,
      retryAfterSeconds: refused ? Math.max(1, Math.ceil(retryAfterMs / 1000)) : 0,
    };
  }

  /**
   * Seconds the address must still wait when this process already knows it is over the failed-authentication
   * limit (0 otherwise). Synchronous: it is asked before anything else on every Bearer request.
   */
  failedAuthBlockedSeconds(ip: string): number {
    const untilMs = this.#blockedAddresses.get(ip);
    if (untilMs === undefined) return 0;
    const leftMs = untilMs - Date.now();
    if (leftMs > 0) return Math.ceil(leftMs / 1000);
    this.#blockedAddresses.delete(ip);
    return 0;
  }

  /**
   * Asks the store whether the address is over the failed-authentication limit (another process may have
   * counted its failures); seconds to wait, or 0. Called before a token lookup that would reach the database.
   */
  async failedAuthWaitSeconds(ip: string): Promise<number> {
    const blocked = this.failedAuthBlockedSeconds(ip);
    if (blocked > 0) return blocked;
    const result = await this.#failedAuth.get(ip);
    if (!result || result.consumedPoints < this.failedAuthPerMinute) return 0;
    return this.#block(ip, result.msBeforeNext);
  }

  /**
   * Counts a failed authentication from the address. Returns the seconds to wait when this attempt is
   * already over the limit (answer it 429 instead of 401), else 0; from the attempt that spends the last
   * allowed failure on, the address is refused in this process without asking the store.
   *
   * `counted`: `'store'` for a token that had to be looked up (well formed, but unknown, revoked, …): only
   * such a token could ever be a right guess, so its failures count in the shared store, against the limit
   * of every process together. `'process'` for an attempt refused before any lookup (no token, or one that
   * fails its format or checksum): it can never succeed and costs no database access, so it is counted in
   * this process's memory, and never costs a store round trip — a database statement with the PostgreSQL
   * store (§3: a malformed token is refused before any database access).
   */
  async recordFailedAuth(ip: string, counted: 'store' | 'process'): Promise<number> {
    const limiter = counted === 'store' ? this.#failedAuth : this.#failedAuthInProcess;
    const result = await limiter.consume(ip);
    if (result.consumedPoints < this.failedAuthPerMinute) return 0;
    const seconds = this.#block(ip, result.msBeforeNext);
    return result.consumedPoints > this.failedAuthPerMinute ? seconds : 0;
  }

  #block(ip: string, msBeforeNext: number): number {
    const untilMs = Date.now() + Math.max(1_000, msBeforeNext);
    this.#blockedAddresses.set(ip, untilMs);
    // Bounded: a flood from many addresses cannot grow it without end (expired entries go first).
    if (this.#blockedAddresses.size > 100_000) {
      const nowMs = Date.now();
      for (const [address, until] of this.#blockedAddresses) {
        if (until <= nowMs || this.#blockedAddresses.size > 100_000) this.#blockedAddresses.delete(address);
      }
    }
    return Math.ceil((untilMs - Date.now()) / 1000);
  }

  start(): Promise<void> {
    return this.store.start();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** Fewer requests left; on a tie, the later reset (the one that would hold the caller back longer). */
function closerToExhaustion(
  a: { remaining: number; resetAtMs: number },
  b: { remaining: number; resetAtMs: number },
): boolean {
  return a.remaining < b.remaining || (a.remaining === b.remaining && a.resetAtMs > b.resetAtMs);
}

/** An insurance limiter that says when it is used: rate-limiter-flexible calls it only when the store failed. */
class CountingInsurance extends RateLimiterMemory {
  readonly #onUse: () => void;

  constructor(like: RateLimiterAbstract, onUse: () => void) {
    super({ keyPrefix: like.keyPrefix, points: like.points, duration: like.duration });
    this.#onUse = onUse;
  }

  override consume(
    ...args: Parameters<RateLimiterMemory['consume']>
  ): ReturnType<RateLimiterMemory['consume']> {
    this.#onUse();
    return super.consume(...args);
  }
}

/** Puts a {@link CountingInsurance} in place of a shared store's insurance limiter (the memory store has none). */
function countingFallbacks(
  limiter: RateLimiterAbstract,
  onFallback: (() => void) | undefined,
): RateLimiterAbstract {
  const insured = limiter as RateLimiterAbstract & { insuranceLimiter?: RateLimiterAbstract };
  if (onFallback && insured.insuranceLimiter) {
    insured.insuranceLimiter = new CountingInsurance(insured.insuranceLimiter, onFallback);
  }
  return limiter;
}
