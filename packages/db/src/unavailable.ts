import { EMBEDDED_DATABASE_STOPPED } from './pglite-worker.ts';

/**
 * Whether an error means the database cannot be reached or cannot serve for now — the server is down,
 * restarting, refusing connections, out of connections, or did not answer in time — rather than that the
 * statement itself was wrong. Callers answer such a failure 503 UNAVAILABLE (the request may be retried
 * as it is) and background jobs retry it later; anything else stays the failure it is.
 *
 * The one list of what counts, for both the pg driver and its pool, and for the embedded PGlite, whose only
 * way to become unreachable is its worker thread stopping (pglite-worker.ts).
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  return unavailable(error, 0);
}

/** Node's socket errors on the way to the server. */
const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * SQLSTATEs (PostgreSQL, Appendix A) of a server that cannot serve now. Class 08 (connection exception) is
 * matched by its prefix.
 */
const UNAVAILABLE_SQLSTATES: ReadonlySet<string> = new Set([
  '57P01', // admin_shutdown: the server is shutting down (pg_ctl stop -m fast)
  '57P02', // crash_shutdown: another backend crashed, every connection is reset
  '57P03', // cannot_connect_now: the server is starting up or in recovery
  '53300', // too_many_connections
  '57014', // query_canceled: statement_timeout
]);

/**
 * The pg driver's and pg-pool's own errors, which carry no code: the connection went away (`Connection
 * terminated unexpectedly`, `… due to connection timeout`), the pool could not hand out a connection in
 * time, a statement had no answer within query_timeout, a client broken by an earlier error was used.
 */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  EMBEDDED_DATABASE_STOPPED,
] as const;

/** How deep `cause` chains and AggregateErrors are followed (an error wrapped by tRPC, Kysely, Node's connect). */
const MAX_DEPTH = 4;

function unavailable(error: unknown, depth: number): boolean {
  if (!(error instanceof Error) || depth > MAX_DEPTH) return false;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (UNAVAILABLE_MESSAGES.some((message) => error.message.startsWith(message))) return true;
  // Node's connect to a host with several addresses (localhost: ::1 and 127.0.0.1) fails with all of them.
  if (error instanceof AggregateError && error.errors.some((inner) => unavailable(inner, depth + 1))) {
    return true;
  }
  return unavailable(error.cause, depth + 1);
}
