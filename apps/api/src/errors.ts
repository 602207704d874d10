import { isDatabaseUnavailableError } from '@tollgate/db';
import { isTollgateError, TollgateError } from '@tollgate/domain';
import type { ZodError } from 'zod';

/** What a request is told when the database cannot be reached or did not answer in time. */
export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unreachable. Please try again later.';

/**
 * `Retry-After` (seconds) of every 503 UNAVAILABLE: long enough for a restarting database or a failover,
 * short enough that a client is not kept waiting once it is back (the server recovers without a restart).
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * The §7 error that a failure already is: a TollgateError as it is, and a database that cannot be reached or
 * did not answer in time (packages/db's isDatabaseUnavailableError) 503 UNAVAILABLE, wherever in the request
 * it happened — the request may be sent again as it is. Undefined for anything else. The one place where a
 * database failure becomes UNAVAILABLE: the procedure chain, tRPC's error formatter and the REST facade ask here.
 */
export function knownTollgateError(error: unknown): TollgateError | undefined {
  if (isTollgateError(error)) return error;
  if (isDatabaseUnavailableError(error))
    return new TollgateError('UNAVAILABLE', DATABASE_UNAVAILABLE_MESSAGE);
  return undefined;
}

/** VALIDATION_FAILED with one detail per invalid field (its dotted path and the schema's message). */
export function validationFailed(error: ZodError): TollgateError {
  return new TollgateError(
    'VALIDATION_FAILED',
    undefined,
    error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  );
}
