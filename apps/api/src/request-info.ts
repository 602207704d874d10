import type { FastifyRequest } from 'fastify';
import { authorizationHeaderOf } from './auth/authorization-header.ts';

/** Options of a cookie the server sets; mirrors what @fastify/cookie accepts. */
export interface CookieOptions {
  httpOnly?: boolean;
  sameSite?: 'lax' | 'strict' | 'none';
  secure?: boolean;
  path?: string;
  expires?: Date;
  maxAge?: number;
}

/** The request as procedures see it: plain data, so tests can build one without an HTTP server. */
export interface RequestInfo {
  /** The surface the call came through; absent means tRPC. The REST facade applies §5 apiAccess to sessions. */
  surface?: 'rest' | 'trpc';
  /**
   * The request's `Request-Id` (§7), as in its response, its log lines and the audit entries it causes; null
   * outside HTTP (the CLI, tests).
   */
  requestId: string | null;
  /** Client address, already resolved through TRUST_PROXY. */
  ip: string;
  userAgent: string | null;
  /** The raw Authorization header, if any. */
  authorization: string | null;
  /** True when the request carried more than one Authorization header: refused as MALFORMED_TOKEN. */
  authorizationRepeated?: boolean;
  /**
   * Set only by the API playground (routers/playground/send.ts), never from HTTP: act as this token of the
   * caller's organisation, verified by id with every check of a Bearer token except the secret.
   */
  playgroundToken?: { tokenId: string; organizationId: string };
  /** The value of the X-CSRF-Token header, if any. */
  csrfToken: string | null;
  /** Whether the request is secure (https), for the Secure cookie flag. */
  secure: boolean;
  getCookie(name: string): string | undefined;
  setCookie(name: string, value: string, options: CookieOptions): void;
  clearCookie(name: string, options?: CookieOptions): void;
  setHeader(name: string, value: string): void;
}

/** A request with nothing set, for tests and the CLI: no headers, no cookies, loopback address. */
export function emptyRequest(overrides: Partial<RequestInfo> = {}): RequestInfo {
  const cookies = new Map<string, string>();
  const headers = new Map<string, string>();
  return {
    requestId: null,
    ip: '127.0.0.1',
    userAgent: null,
    authorization: null,
    csrfToken: null,
    secure: false,
    getCookie: (name) => cookies.get(name),
    setCookie: (name, value) => {
      cookies.set(name, value);
    },
    clearCookie: (name) => {
      cookies.delete(name);
    },
    setHeader: (name, value) => {
      headers.set(name.toLowerCase(), value);
    },
    ...overrides,
  };
}

/** What every surface reads from an HTTP request the same way (the tRPC adapter and the REST facade). */
export type HttpRequestFields = Pick<
  RequestInfo,
  'requestId' | 'ip' | 'userAgent' | 'authorization' | 'csrfToken' | 'secure'
> & { requestId: string; authorizationRepeated: boolean };

function header(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

/** The request's id, client address (through TRUST_PROXY), user agent, Authorization, CSRF header and scheme. */
export function httpRequestFields(request: FastifyRequest): HttpRequestFields {
  const { authorization, authorizationRepeated } = authorizationHeaderOf(request.raw);
  return {
    requestId: request.id,
    ip: request.ip,
    userAgent: header(request.headers['user-agent']),
    authorization,
    authorizationRepeated,
    csrfToken: header(request.headers['x-csrf-token']),
    secure: request.protocol === 'https',
  };
}
