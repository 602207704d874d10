import { z } from 'zod';
import { ZRateLimitOverrideEnv } from './ratelimit/config.ts';

/**
 * The only reader of `process.env`. Every setting of PRODUCT.md §1 is validated here at start-up so that a
 * bad value stops the process with one line naming the variable, instead of failing later and obscurely.
 */
/** GitHub's published secret-scanning public keys (GITHUB_SECRET_SCANNING_KEYS=github). */
export const GITHUB_SECRET_SCANNING_KEYS_URL = 'https://api.github.com/meta/public_keys/secret_scanning';

const ZEnv = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /**
   * How long a request waits for a PostgreSQL connection (a new one, or a free one of the pool) before it is
   * answered 503 UNAVAILABLE: an unreachable database must cost seconds at most, never a hung request.
   */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(3000),
  /**
   * The longest a statement may run (PostgreSQL's statement_timeout; the driver stops waiting for an
   * answer shortly after, for a server that hangs). Migrations run without it.
   */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1).max(3_600_000).default(5000),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Where /metrics (Prometheus, §17) is served, on a listener of its own; absent: no metrics listener. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** The address the metrics listener binds to; loopback unless the scraper is elsewhere. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  TOKEN_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9]{1,9}$/, 'must be 2–10 lowercase letters or digits, starting with a letter')
    .default('tg'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx): boolean | number | string[] => {
      if (value === undefined || value === '' || value === 'false') return false;
      if (value === 'true') return true;
      if (/^\d+$/.test(value)) return Number(value);
      const list = value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);
      if (list.length === 0) {
        ctx.addIssue({ code: 'custom', message: 'must be true, false, a hop count or a list of addresses' });
        return z.NEVER;
      }
      return list;
    }),
  /**
   * Whether webhooks may be delivered to private, loopback and link-local addresses (a receiver inside the
   * server's own network). Off by default: a subscriber must not be able to make the server call its
   * neighbours or a cloud metadata endpoint.
   */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  /**
   * Enables GitHub's secret-scanning partner endpoint (§13): where GitHub's public keys come from — `github`
   * for GitHub's own endpoint, another http(s) URL serving the same JSON, or the path of a file holding it.
   */
  GITHUB_SECRET_SCANNING_KEYS: z
    .string()
    .min(1)
    .optional()
    .transform((value): { url: string } | { file: string } | undefined => {
      if (value === undefined) return undefined;
      if (value === 'github') return { url: GITHUB_SECRET_SCANNING_KEYS_URL };
      if (/^https?:\/\//.test(value)) return { url: value };
      return { file: value };
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the embedded database lives when DATABASE_URL is absent. */
  TOLLGATE_DATA_DIR: z.string().min(1).default('.data/pglite'),
  /** Testing only: JSON replacing the rate-limit tier numbers and key prefix (see ratelimit/config.ts). */
  TOLLGATE_RATE_LIMIT_OVERRIDE: ZRateLimitOverrideEnv.optional(),
});

export type Env = z.infer<typeof ZEnv>;

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Parses the environment, throwing an {@link EnvError} whose message is one line naming the first bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = ZEnv.safeParse(source);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = issue?.path.join('.') ?? 'environment';
  throw new EnvError(`Invalid environment variable ${variable}: ${issue?.message ?? 'invalid value'}`);
}
