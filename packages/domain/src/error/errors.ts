/**
 * Every error code of the REST contract (§7) with its HTTP status, a short title (the problem document's
 * `title`, the same for every occurrence), what it means and what to do (the docs page's error reference,
 * `/docs/errors#<CODE>`) and a default sentence for a person. Nothing outside this table may
 * be sent as a code; the docs page's error reference is generated from it.
 */
export const ERRORS = {
  VALIDATION_FAILED: {
    status: 400,
    title: 'Validation failed',
    help: 'The request does not match the endpoint’s schema: a field is missing, has the wrong type or is out of range, the body is not valid JSON, or the URL is malformed. `details` names each offending field; fix those and send again.',
    message: 'The request is not valid.',
  },
  UNKNOWN_SCOPE: {
    status: 400,
    title: 'Unknown scope',
    help: 'A scope in the request is not one of Tollgate’s scopes; the web app’s token form lists them.',
    message: 'The request names a scope that does not exist.',
  },
  MISSING_TOKEN: {
    status: 401,
    title: 'Missing token',
    help: 'The endpoint needs an API token and none was sent. Send it as `Authorization: Bearer <token>`.',
    message: 'An API token is required: send it as "Authorization: Bearer <token>".',
  },
  MALFORMED_TOKEN: {
    status: 401,
    title: 'Malformed token',
    help: 'The value sent is not shaped like a token (prefix, type letter, body and checksum); it was probably cut or pasted with extra characters.',
    message: 'The API token is malformed; check that it was copied completely.',
  },
  INVALID_TOKEN: {
    status: 401,
    title: 'Invalid token',
    help: 'The token is well formed but unknown to this server: it was deleted, rotated away, or belongs to another installation.',
    message: 'The API token is not valid.',
  },
  TOKEN_EXPIRED: {
    status: 401,
    title: 'Token expired',
    help: 'The token passed its expiry date. Create a new one, or rotate it before it expires next time.',
    message: 'The API token has expired.',
  },
  TOKEN_INACTIVE: {
    status: 401,
    title: 'Token inactive',
    help: 'An admin or the token’s owner deactivated the token; it works again once reactivated.',
    message: 'The API token has been deactivated.',
  },
  TOKEN_REVOKED: {
    status: 401,
    title: 'Token revoked',
    help: 'The token was revoked (by a person, a leak report or reuse detection) and can never be used again. Create a new one.',
    message: 'The API token has been revoked.',
  },
  INSUFFICIENT_CREDITS: {
    status: 402,
    title: 'Insufficient credits',
    help: 'The organisation has fewer credits than the request costs. Buy credits (`POST /api/v1/billing/credits`) and try again.',
    message: 'There are not enough credits for this request.',
  },
  INSUFFICIENT_SCOPE: {
    status: 403,
    title: 'Insufficient scope',
    help: 'The token does not hold the scope the endpoint requires (shown on each endpoint of this page), or its subject’s role no longer allows it.',
    message: 'The API token does not have the scope this request requires.',
  },
  IP_NOT_ALLOWED: {
    status: 403,
    title: 'IP address not allowed',
    help: 'The request came from an address outside the token’s or the organisation’s IP allowlist.',
    message: 'Requests from this IP address are not allowed.',
  },
  ROLE_NOT_ALLOWED: {
    status: 403,
    title: 'Role not allowed',
    help: 'The organisation’s policy does not let your role do this (create tokens, use tokens, manage members…).',
    message: 'Your role does not allow this.',
  },
  SESSIONS_NOT_ALLOWED: {
    status: 403,
    title: 'Sessions not allowed',
    help: 'The organisation accepts only API tokens on the REST API; a signed-in browser session cannot call it.',
    message: 'This organisation accepts API tokens only on the REST API; sign-in sessions are not allowed.',
  },
  FORBIDDEN: {
    status: 403,
    title: 'Forbidden',
    help: 'You are not allowed to do this, for a reason the message states.',
    message: 'You are not allowed to do this.',
  },
  NOT_FOUND: {
    status: 404,
    title: 'Not found',
    help: 'There is no such endpoint, or no such resource in your organisation (another organisation’s resources are reported the same way).',
    message: 'The requested resource was not found.',
  },
  CONFLICT: {
    status: 409,
    title: 'Conflict',
    help: 'The request conflicts with the resource’s current state: a name already taken, a token already revoked, a change made meanwhile.',
    message: 'The request conflicts with the current state of the resource.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    title: 'Payload too large',
    help: 'The request body is larger than the server accepts (1 MiB).',
    message: 'The request body is too large.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported media type',
    help: 'A request body must be JSON, sent with `Content-Type: application/json`.',
    message: 'The request body must be JSON (Content-Type: application/json).',
  },
  RATE_LIMITED: {
    status: 429,
    title: 'Rate limited',
    help: 'Too many requests in the current window (per organisation, per token, or failed authentications per address). Wait the seconds of `Retry-After`; the `RateLimit` fields show what is left.',
    message: 'Rate limit exceeded. Please try again later.',
  },
  INTERNAL: {
    status: 500,
    title: 'Internal error',
    help: 'Something failed on the server. It is logged with the response’s `Request-Id`: quote it when you report the problem.',
    message: 'Something went wrong on our side. Please try again later.',
  },
  UNAVAILABLE: {
    status: 503,
    title: 'Service unavailable',
    help: 'The server cannot reach its database or rate-limit store for now. Try again later; `/readyz` says when it is back.',
    message: 'The service is temporarily unavailable. Please try again later.',
  },
} as const satisfies Record<string, { status: number; title: string; help: string; message: string }>;

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

/**
 * The §7 error body as an RFC 9457 problem document (`application/problem+json`): the fields of
 * {@link ErrorBody} exactly as before, so no client breaks, plus the problem fields.
 */
export interface ProblemDocument extends ErrorBody {
  /** `/docs/errors#<CODE>`: the docs page's explanation of the code, resolved against the server's address. */
  type: string;
  title: string;
  status: number;
  /** The same sentence as `error`. */
  detail: string;
  /** The path of the request the problem occurred in, without its query; absent when none could be parsed. */
  instance?: string;
  /** The request's `Request-Id`, as in the server's log line and the audit entries it caused. */
  requestId: string;
}

/** Where the docs page explains an error code: the problem document's `type`. */
export function errorTypeUri(code: ErrorCode): string {
  return `/docs/errors#${code}`;
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
  const body: ErrorBody = {
    success: false,
    error: err.message,
    code: err.code,
  };
  if (err.details && err.details.length > 0) body.details = err.details;
  return body;
}

/** The problem document of an error (see {@link errorBody} for what a non-TollgateError becomes). */
export function problemDocument(
  err: unknown,
  request: { instance: string | null; requestId: string },
): ProblemDocument {
  const body = errorBody(err);
  const entry = ERRORS[body.code];
  const problem: ProblemDocument = {
    ...body,
    type: errorTypeUri(body.code),
    title: entry.title,
    status: entry.status,
    detail: body.error,
    requestId: request.requestId,
  };
  if (request.instance !== null) problem.instance = request.instance;
  return problem;
}
