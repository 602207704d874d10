import { isDatabaseUnavailableError } from '@tollgate/db';
import { type ErrorDetail, isTollgateError, TollgateError } from '@tollgate/domain';
import { TRPCError } from '@trpc/server';
import { ZodError } from 'zod';

type TRPCCode = TRPCError['code'];

const TRPC_CODE_BY_STATUS: Record<number, TRPCCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  402: 'PAYMENT_REQUIRED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

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

/** The tRPC error carrying a TollgateError, so the wire status matches the §7 status of its code. */
export function toTRPCError(error: TollgateError): TRPCError {
  return new TRPCError({
    code: TRPC_CODE_BY_STATUS[error.status] ?? 'INTERNAL_SERVER_ERROR',
    message: error.message,
    cause: error,
  });
}

function zodDetails(error: ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/**
 * What the caller is told about any error a procedure produced. TollgateErrors pass through, as does an
 * unreachable database as UNAVAILABLE ({@link knownTollgateError}); invalid input
 * becomes VALIDATION_FAILED with a detail per field; tRPC's own routing errors keep their meaning; anything
 * else is INTERNAL with the default sentence, because its message may hold internals.
 */
export function toTollgateError(error: TRPCError): TollgateError {
  const cause = error.cause;
  const known = knownTollgateError(cause);
  if (known) return known;
  if (cause instanceof ZodError) return new TollgateError('VALIDATION_FAILED', undefined, zodDetails(cause));
  switch (error.code) {
    case 'PARSE_ERROR':
    case 'BAD_REQUEST':
      return new TollgateError('VALIDATION_FAILED');
    case 'NOT_FOUND':
      return new TollgateError('NOT_FOUND');
    case 'PAYLOAD_TOO_LARGE':
      return new TollgateError('PAYLOAD_TOO_LARGE');
    case 'UNSUPPORTED_MEDIA_TYPE':
      return new TollgateError('UNSUPPORTED_MEDIA_TYPE');
    case 'METHOD_NOT_SUPPORTED':
      return new TollgateError('VALIDATION_FAILED', 'This procedure does not support that HTTP method.');
    default:
      return new TollgateError('INTERNAL');
  }
}
