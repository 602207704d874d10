import { TollgateError } from '@tollgate/domain';
import { TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { knownTollgateError, validationFailed } from '../errors.ts';

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

/**
 * The tRPC error carrying a TollgateError, so the wire status matches the §7 status of its code: made for tRPC's
 * own surfaces only, by the chain's error mapping (init.ts mapThrown); the REST facade never sees one.
 */
export function toTRPCError(error: TollgateError): TRPCError {
  return new TRPCError({
    code: TRPC_CODE_BY_STATUS[error.status] ?? 'INTERNAL_SERVER_ERROR',
    message: error.message,
    cause: error,
  });
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
  if (cause instanceof ZodError) return validationFailed(cause);
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
