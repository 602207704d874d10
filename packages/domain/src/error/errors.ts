/**
 * Every error code of the REST contract (§7) with its HTTP status and a default sentence for a person.
 * Nothing outside this table may be sent as a code.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid.' },
  UNKNOWN_SCOPE: { status: 400, message: 'The request names a scope that does not exist.' },
  MISSING_TOKEN: {
    status: 401,
    message: 'An API token is required: send it as "Authorization: Bearer <token>".',
  },
  MALFORMED_TOKEN: {
    status: 401,
    message: 'The API token is malformed; check that it was copied completely.',
  },
  INVALID_TOKEN: { status: 401, message: 'The API token is not valid.' },
  TOKEN_EXPIRED: { status: 401, message: 'The API token has expired.' },
  TOKEN_INACTIVE: { status: 401, message: 'The API token has been deactivated.' },
  TOKEN_REVOKED: { status: 401, message: 'The API token has been revoked.' },
  INSUFFICIENT_CREDITS: { status: 402, message: 'There are not enough credits for this request.' },
  INSUFFICIENT_SCOPE: {
    status: 403,
    message: 'The API token does not have the scope this request requires.',
  },
  IP_NOT_ALLOWED: { status: 403, message: 'Requests from this IP address are not allowed.' },
  ROLE_NOT_ALLOWED: { status: 403, message: 'Your role does not allow this.' },
  SESSIONS_NOT_ALLOWED: {
    status: 403,
    message: 'This organisation accepts API tokens only on the REST API; sign-in sessions are not allowed.',
  },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do this.' },
  NOT_FOUND: { status: 404, message: 'The requested resource was not found.' },
  CONFLICT: { status: 409, message: 'The request conflicts with the current state of the resource.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'The request body must be JSON (Content-Type: application/json).',
  },
  RATE_LIMITED: { status: 429, message: 'Rate limit exceeded. Please try again later.' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side. Please try again later.' },
  UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable. Please try again later.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** One problem in a request, for VALIDATION_FAILED (and anything else that can point at a field). */
export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. `ipAllowlist.2`; empty for the request as a whole. */
  path: string;
  message: string;
}

/** The error body of §7. */
export interface ErrorBody {
  success: false;
  error: string;
  code: ErrorCode;
  details?: ErrorDetail[];
}

/** An error that maps to exactly one §7 code and status; its message is safe to show to the caller. */
export class TollgateError extends Error {
  override readonly name = 'TollgateError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: ErrorDetail[];

  constructor(code: ErrorCode, message?: string, details?: ErrorDetail[]) {
    super(message ?? ERRORS[code].message);
    this.code = code;
    this.status = ERRORS[code].status;
    if (details) this.details = details;
  }
}

/** Whether `value` is a TollgateError (also across bundles, where instanceof may fail). */
export function isTollgateError(value: unknown): value is TollgateError {
  if (value instanceof TollgateError) return true;
  if (!(value instanceof Error) || value.name !== 'TollgateError') return false;
  const code: unknown = (value as Error & { code?: unknown }).code;
  return typeof code === 'string' && Object.hasOwn(ERRORS, code);
}

/**
 * The response body for an error. Anything that is not a TollgateError becomes INTERNAL with the default
 * sentence: its message may hold internals (SQL, paths, stack frames) that must never reach a client.
 */
export function errorBody(err: unknown): ErrorBody {
  if (!isTollgateError(err)) return { success: false, error: ERRORS.INTERNAL.message, code: 'INTERNAL' };
  const body: ErrorBody = { success: false, error: err.message, code: err.code };
  if (err.details && err.details.length > 0) body.details = err.details;
  return body;
}
