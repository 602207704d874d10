import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ErrorCode, newId, problemDocument, TollgateError } from '@tollgate/domain';
import { TRPCError } from '@trpc/server';
import type { FastifyReply } from 'fastify';
import { knownTollgateError, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../errors.ts';
import { REQUEST_ID_HEADER } from '../request-id.ts';
import { toTollgateError } from '../trpc/errors.ts';

/** The longest path parameter the router accepts; no id or slug is longer. */
export const MAX_PATH_PARAMETER_LENGTH = 100;

/** Fastify's own request errors, by the code Fastify gives them, with what the caller is told instead. */
const FASTIFY_ERRORS: Record<string, { code: ErrorCode; message?: string }> = {
  // Also what secure-json-parse's refusal of `__proto__` / `constructor.prototype` keys becomes.
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'VALIDATION_FAILED',
    message: 'The request body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'VALIDATION_FAILED', message: 'The request body is empty.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'VALIDATION_FAILED',
    message: 'The Content-Length header does not match the request body.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE' },
  // Raised by the router before any route runs (Fastify's `frameworkErrors`).
  FST_ERR_BAD_URL: {
    code: 'VALIDATION_FAILED',
    message: 'The URL is not valid: it holds a malformed percent-encoded sequence.',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'VALIDATION_FAILED',
    message: `A path parameter is too long (${MAX_PATH_PARAMETER_LENGTH} characters at most).`,
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_CONTENT_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE' },
};

/** Statuses Fastify (or a plugin) may set on an error it raises before a handler runs. */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/**
 * The §7 error for anything that went wrong while serving a REST call: a TollgateError as it is (a procedure's
 * reaches here unchanged, see rest/invoke.ts), an unreachable database (UNAVAILABLE, see knownTollgateError),
 * a TRPCError of tRPC's own steps (invalid input, through the same mapping as tRPC's error formatter), or one
 * of Fastify's own request errors. Whatever else is INTERNAL, with the default sentence only: its own
 * message may carry internals.
 */
export function toRestError(error: unknown): TollgateError {
  const known = knownTollgateError(error);
  if (known) return known;
  if (error instanceof TRPCError) return toTollgateError(error);
  if (error instanceof Error) {
    const fastifyCode = (error as Error & { code?: unknown }).code;
    const known = typeof fastifyCode === 'string' ? FASTIFY_ERRORS[fastifyCode] : undefined;
    if (known) return new TollgateError(known.code, known.message);
    if (error instanceof SyntaxError) {
      return new TollgateError('VALIDATION_FAILED', 'The request body is not valid JSON.');
    }
    const status = (error as Error & { statusCode?: unknown }).statusCode;
    const code = typeof status === 'number' ? CODE_BY_STATUS[status] : undefined;
    if (code) return new TollgateError(code);
  }
  return new TollgateError('INTERNAL');
}

export const CACHE_CONTROL = 'cache-control';
export const RETRY_AFTER = 'retry-after';
/** Every /api/v1 response: some carry secrets (a token's plain value on create and rotate). */
export const NO_STORE = 'no-store';

/** RFC 9457's media type of a problem document: every §7 error body is one. */
export const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/** The path of a request URL, without its query: a problem document's `instance`. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Sends the §7 error body, an RFC 9457 problem document, with its status, the request's `Request-Id`, (as
 * every /api/v1 response) `Cache-Control: no-store`, and for UNAVAILABLE `Retry-After`. Every error of every
 * surface but tRPC's goes out here.
 */
export function sendRestError(reply: FastifyReply, error: TollgateError): FastifyReply {
  const { request } = reply;
  if (error.code === 'UNAVAILABLE') reply.header(RETRY_AFTER, String(UNAVAILABLE_RETRY_AFTER_SECONDS));
  return reply
    .code(error.status)
    .header(CACHE_CONTROL, NO_STORE)
    .header(REQUEST_ID_HEADER, request.id)
    .type(PROBLEM_JSON)
    .send(problemDocument(error, { instance: pathOf(request.url), requestId: request.id }));
}

/** What a request that is not even valid HTTP is told, by Node's parser error code. */
function clientErrorMessage(code: unknown): string {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return 'The request line and headers are too large.';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'The request was not received in time.';
    default:
      return 'The request is not valid HTTP.';
  }
}

/**
 * Answers a request Node's HTTP parser refused (headers too large, malformed, too slow) with the §7 error body,
 * as Fastify's default handler would with its own body, then closes the connection: after a parse error, the
 * rest of the stream cannot be trusted to hold a next request.
 */
export function answerClientError(error: Error & { code?: unknown }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const failure = new TollgateError('VALIDATION_FAILED', clientErrorMessage(error.code));
    // No request was parsed, so there is no path (no `instance`) and no id from a proxy: a fresh id.
    const requestId = newId('request');
    const body = JSON.stringify(problemDocument(failure, { instance: null, requestId }));
    socket.write(
      `HTTP/1.1 ${failure.status} ${STATUS_CODES[failure.status]}\r\n` +
        `Content-Type: ${PROBLEM_JSON}\r\nCache-Control: ${NO_STORE}\r\nRequest-Id: ${requestId}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
