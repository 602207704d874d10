import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterService } from '../ratelimit/limiter.ts';
import type { Services } from '../services.ts';

/** Failed logins allowed per window, for each key the limiter counts. */
export const LOGIN_LIMITS = {
  /** One account from one address: the guessing of one password. */
  perEmailAndIp: { points: 10, durationSeconds: 15 * 60 },
  /** One address across accounts: the spraying of common passwords. */
  perIp: { points: 100, durationSeconds: 15 * 60 },
  /**
   * One account across addresses: distributed guessing. Generous, because anyone who knows an email can
   * spend these failures and lock its owner out for the window.
   */
  perEmail: { points: 50, durationSeconds: 60 * 60 },
} as const;

/**
 * Counts failed logins per email+address, per address and per email; the login procedure refuses an attempt
 * over any of them with RATE_LIMITED, whether or not its password is right.
 *
 * The counters live in the request limits' store (Redis, PostgreSQL or memory; see ratelimit/store.ts), so
 * that every API process counts the same failures.
 */
export class LoginLimiter {
  readonly #pair: RateLimiterAbstract;
  readonly #ip: RateLimiterAbstract;
  readonly #email: RateLimiterAbstract;

  constructor(rateLimits: RateLimiterService) {
    const limiter = (name: string, limit: { points: number; durationSeconds: number }) =>
      rateLimits.store.createLimiter({ keyPrefix: rateLimits.keyPrefix(name), ...limit });
    this.#pair = limiter('login_email_ip', LOGIN_LIMITS.perEmailAndIp);
    this.#ip = limiter('login_ip', LOGIN_LIMITS.perIp);
    this.#email = limiter('login_email', LOGIN_LIMITS.perEmail);
  }

  /**
   * Counts an attempt against every key before the password is checked, and returns the seconds to wait
   * when any count is spent (0 when the attempt may go ahead). Counting first, rather than after a failure,
   * keeps a burst of parallel guesses from all slipping through while the first ones are still hashing.
   */
  async begin(email: string, ip: string): Promise<number> {
    const keys = keysOf(email, ip);
    const results = await Promise.allSettled([
      this.#pair.consume(keys.pair),
      this.#ip.consume(keys.ip),
      this.#email.consume(keys.email),
    ]);
    let waitMs = 0;
    for (const result of results) {
      if (result.status === 'fulfilled') continue;
      // Store failures go to the insurance limiter, so a rejection is a refusal; anything else is a bug.
      if (!(result.reason instanceof RateLimiterRes)) throw result.reason;
      const refusal = result.reason;
      waitMs = Math.max(waitMs, refusal.msBeforeNext ?? 1000);
    }
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
  }

  /** A correct password: the attempt does not count, and the account's count from this address is cleared. */
  async succeeded(email: string, ip: string): Promise<void> {
    const keys = keysOf(email, ip);
    await Promise.all([
      this.#pair.delete(keys.pair),
      this.#ip.reward(keys.ip),
      this.#email.reward(keys.email),
    ]);
  }
}

function keysOf(email: string, ip: string) {
  const normalized = email.trim().toLowerCase();
  return { pair: `${normalized}\u0000${ip}`, ip, email: normalized };
}

const limiters = new WeakMap<Services, LoginLimiter>();

/** The login limiter of a process (one per Services, so each test harness starts with clean counts). */
export function loginLimiterFor(services: Services): LoginLimiter {
  let limiterOfServices = limiters.get(services);
  if (!limiterOfServices) {
    limiterOfServices = new LoginLimiter(services.rateLimits);
    limiters.set(services, limiterOfServices);
  }
  return limiterOfServices;
}
