import { TollgateError } from '@tollgate/domain';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type CookieOptions, httpRequestFields, type RequestInfo } from '../request-info.ts';
import { itemsOf, type JsonSchema, type ObjectShape, typesOf } from './json-schema.ts';
import { BODY_METHODS, type RestRouteEntry } from './route-table.ts';

function header(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

/**
 * Whether a request is a browser call from the server's own origin, the only case in which /api/v1 looks at
 * the session cookie. Browsers set `Sec-Fetch-Site` and `Origin` themselves and pages cannot forge them, so a
 * cross-site page riding on the cookie is seen here. Only the host is compared, not the scheme: behind a TLS
 * proxy without TRUST_PROXY the server would otherwise see `http` while the browser says `https`.
 */
export function isSameOriginBrowserCall(request: FastifyRequest): boolean {
  const site = header(request.headers['sec-fetch-site']);
  if (site !== null) return site === 'same-origin';
  const origin = header(request.headers.origin);
  if (origin === null || origin === 'null') return false;
  try {
    const from = new URL(origin);
    // Parsed the same way, so that default ports compare equal (`Host: localhost:80` and `http://localhost`).
    return from.host === new URL(`${from.protocol}//${request.host}`).host;
  } catch {
    return false;
  }
}

/**
 * The request as procedures see it, for a call through the REST facade: `surface: 'rest'` (so the chain applies
 * the organisation's apiAccess policy to sessions), and cookies only for same-origin browser calls — anything
 * else is treated as carrying no cookie at all, and so needs a Bearer token. A class rather than an object of
 * closures: one is made per request, and the cookie rule is only worked out when a cookie is asked for.
 */
/** Parses a Cookie header and serialises a Set-Cookie value (@fastify/cookie's, passed in by the server). */
export interface CookieCodec {
  parse(header: string): Record<string, string | undefined>;
  serialize(name: string, value: string, options: CookieOptions): string;
}

class RestRequestInfo implements RequestInfo {
  readonly surface = 'rest' as const;
  readonly requestId: string;
  readonly ip: string;
  readonly userAgent: string | null;
  readonly authorization: string | null;
  readonly authorizationRepeated: boolean;
  readonly csrfToken: string | null;
  readonly secure: boolean;
  readonly #request: FastifyRequest;
  readonly #reply: FastifyReply;
  readonly #codec: CookieCodec;
  #cookies: Record<string, string | undefined> | undefined;

  constructor(request: FastifyRequest, reply: FastifyReply, codec: CookieCodec) {
    this.#request = request;
    this.#reply = reply;
    this.#codec = codec;
    const fields = httpRequestFields(request);
    this.requestId = fields.requestId;
    this.ip = fields.ip;
    this.userAgent = fields.userAgent;
    this.authorization = fields.authorization;
    this.authorizationRepeated = fields.authorizationRepeated;
    this.csrfToken = fields.csrfToken;
    this.secure = fields.secure;
  }

  getCookie(name: string): string | undefined {
    if (this.#cookies === undefined) {
      const header = this.#request.headers.cookie;
      this.#cookies = header && isSameOriginBrowserCall(this.#request) ? this.#codec.parse(header) : {};
    }
    return this.#cookies[name];
  }

  // As @fastify/cookie's reply.setCookie and clearCookie do (SameSite=Lax unless told; cleared = expired).
  setCookie(name: string, value: string, options: CookieOptions): void {
    this.#reply.header('set-cookie', this.#codec.serialize(name, value, { sameSite: 'lax', ...options }));
  }

  clearCookie(name: string, options?: CookieOptions): void {
    this.setCookie(name, '', { path: '/', ...options, expires: new Date(0), maxAge: 0 });
  }

  setHeader(name: string, value: string): void {
    this.#reply.header(name, value);
  }
}

export function restRequestInfo(
  request: FastifyRequest,
  reply: FastifyReply,
  cookies: CookieCodec,
): RequestInfo {
  return new RestRequestInfo(request, reply, cookies);
}

const NUMBER = /^-?(?:\d+|\d*\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * A path or query-string value converted to what the input schema expects: numbers for numbers (`limit=20`),
 * booleans for booleans, an array for an array (`?scope=a&scope=b`, or a single `?scope=a`). A value that does
 * not convert is passed on as it came, so the procedure's own validation names the field.
 */
export function coerceParameter(value: string | string[], schema: JsonSchema | undefined): unknown {
  if (!schema) return value;
  const types = typesOf(schema);
  if (types.has('array')) {
    const items = itemsOf(schema);
    return (Array.isArray(value) ? value : [value]).map((item) => coerceParameter(item, items));
  }
  if (Array.isArray(value) || types.has('string')) return value;
  if ((types.has('integer') || types.has('number')) && NUMBER.test(value)) return Number(value);
  if (types.has('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  if (types.has('null') && value === 'null') return null;
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The procedure input of a REST call: path parameters plus the query string (GET, DELETE) or plus the JSON
 * body (POST, PUT, PATCH). Path parameters win over a body field of the same name, so `/tokens/{id}` always
 * acts on the token in its path. Procedures without input get none.
 */
export function buildProcedureInput(
  route: RestRouteEntry,
  shape: ObjectShape,
  request: FastifyRequest,
): unknown {
  if (route.inputs.length === 0) return undefined;
  const params = (request.params ?? {}) as Record<string, string>;
  const input: Record<string, unknown> = {};
  if (BODY_METHODS.has(route.method)) {
    const body: unknown = request.body;
    if (body !== undefined && body !== null && !isPlainObject(body)) {
      throw new TollgateError('VALIDATION_FAILED', 'The request body must be a JSON object.', [
        { path: '', message: 'Expected a JSON object' },
      ]);
    }
    Object.assign(input, body);
  } else {
    const query = (request.query ?? {}) as Record<string, string | string[]>;
    for (const [name, value] of Object.entries(query)) {
      if (name === '__proto__') continue;
      input[name] = coerceParameter(value, shape.properties[name]);
    }
  }
  for (const name of route.pathParams) {
    const value = params[name];
    if (value !== undefined) input[name] = coerceParameter(value, shape.properties[name]);
  }
  return input;
}
