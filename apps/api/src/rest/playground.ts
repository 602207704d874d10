import {
  newId,
  problemDocument,
  TollgateError,
  type TPlaygroundSendInput,
  type TPlaygroundSendOutput,
} from '@tollgate/domain';
import type { FastifyRequest } from 'fastify';
import type { SessionPrincipal } from '../auth/principal.ts';
import { getToken } from '../core/tokens.ts';
import type { RequestInfo } from '../request-info.ts';
import type { Services } from '../services.ts';
import { createContextInner, type PlaygroundDispatcher } from '../trpc/context.ts';
import { pathOf, toRestError } from './errors.ts';
import { inputJsonSchema, type ObjectShape, objectShape } from './json-schema.ts';
import { buildOpenApiDocument, OPENAPI_DOCUMENT_PATH, REST_PREFIX } from './openapi.ts';
import { buildProcedureInput } from './request.ts';
import type { RestRouteEntry } from './route-table.ts';

/*
 * The API playground's "Send", run server-side. Design:
 *
 * - Who may call it: a signed-in web session only (sessionProcedure, so its CSRF token is checked: it is a
 *   mutation because the request it carries may change things). Not a Bearer token: a token calling the
 *   playground with another token's id would borrow that token's scopes — a way around its own.
 * - Acting as one of your tokens: the server never stored its secret, so it cannot send it. Instead the
 *   request carries `playgroundToken: { tokenId, organizationId }` and the protected chain verifies that token
 *   by id (verifyTokenById): the same checks as a Bearer token after the secret — revoked, inactive, expired,
 *   still a member, IP allowlist against the *caller's* address, rate limit, scope. The caller must be able to
 *   see the token (the visibility of tokens.get: members their own personal tokens, admins and owners every
 *   token of the organisation), otherwise NOT_FOUND.
 * - A pasted token is sent as `Authorization: Bearer <token>`, exactly as a REST client would.
 * - The call itself: the REST route is resolved from the same route table the facade serves (method and path,
 *   static segments preferred over parameters), its input built by the facade's own buildProcedureInput, and
 *   the procedure invoked as the facade invokes it (route.invoke) with `surface: 'rest'`. So the result — status, body, §7 error
 *   body, headers the chain sets (the rate-limit headers) — is what /api/v1 would have answered, without an
 *   HTTP round trip and without the session cookie (the request carries no cookie at all).
 */

function shapeOf(shapes: Map<RestRouteEntry, ObjectShape>, route: RestRouteEntry): ObjectShape {
  let shape = shapes.get(route);
  if (!shape) {
    shape = objectShape(inputJsonSchema(route.inputs));
    shapes.set(route, shape);
  }
  return shape;
}

/** The path below /api/v1 and the query string found in it, if any. */
function splitPath(raw: string): { path: string; query: Record<string, string | string[]> } {
  const url = new URL(raw, 'http://playground.invalid');
  let path = url.pathname;
  if (path === REST_PREFIX || path.startsWith(`${REST_PREFIX}/`))
    path = path.slice(REST_PREFIX.length) || '/';
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const existing = query[name];
    query[name] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return { path: path.length > 1 ? path.replace(/\/+$/, '') : path, query };
}

/** The route serving `method path` and its path parameters; static segments win (`/tokens/self` over `{id}`). */
export function matchRestRoute(
  routes: readonly RestRouteEntry[],
  method: string,
  path: string,
): { route: RestRouteEntry; params: Record<string, string> } | null {
  const segments = path.split('/').slice(1);
  let best: { route: RestRouteEntry; params: Record<string, string> } | null = null;
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/').slice(1);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matched = pattern.every((part, index) => {
      const segment = segments[index] as string;
      const param = /^\{(.+)\}$/.exec(part);
      if (!param) return part === segment;
      if (segment === '') return false;
      try {
        params[param[1] as string] = decodeURIComponent(segment);
      } catch {
        return false;
      }
      return true;
    });
    if (matched && (!best || route.pathParams.length < best.route.pathParams.length))
      best = { route, params };
  }
  return best;
}

function playgroundRequest(
  caller: RequestInfo,
  auth: Pick<RequestInfo, 'authorization' | 'playgroundToken'>,
  headers: Map<string, string>,
): RequestInfo {
  return {
    surface: 'rest',
    // Part of the caller's own request: its audit entries carry that request's id.
    requestId: caller.requestId,
    ip: caller.ip,
    userAgent: caller.userAgent,
    csrfToken: null,
    secure: caller.secure,
    ...auth,
    // The playground acts as the token only: the session cookie is not part of the request it makes.
    getCookie: () => undefined,
    setCookie: () => {},
    clearCookie: () => {},
    setHeader: (name, value) => {
      headers.set(name.toLowerCase(), value);
    },
  };
}

/**
 * The playground's dispatcher over the route table the facade serves, built once at start-up (server.ts) and
 * handed to the playground procedure in its context: it runs one REST request in process as a token (chosen
 * by id or pasted) and answers as /api/v1 would.
 */
export function createPlaygroundDispatcher(routes: readonly RestRouteEntry[]): PlaygroundDispatcher {
  const shapes = new Map<RestRouteEntry, ObjectShape>();
  let openApiDocument: unknown;
  return { send: sendPlaygroundRequest };

  async function sendPlaygroundRequest(
    services: Services,
    session: SessionPrincipal,
    request: RequestInfo,
    input: TPlaygroundSendInput,
  ): Promise<TPlaygroundSendOutput> {
    if (session.organizationId === null) {
      throw new TollgateError('FORBIDDEN', 'You are not a member of any organisation.');
    }
    let auth: Pick<RequestInfo, 'authorization' | 'playgroundToken'>;
    if (input.tokenId !== undefined) {
      // Visibility of tokens.get: a token the caller may not see is NOT_FOUND, as everywhere else.
      const token = await getToken(services, session, { id: input.tokenId });
      auth = {
        authorization: null,
        playgroundToken: { tokenId: token.id, organizationId: session.organizationId },
      };
    } else {
      auth = { authorization: `Bearer ${input.token}` };
    }

    const headers = new Map<string, string>();
    const started = performance.now();
    let status: number;
    let body: unknown;
    let problem = false;
    // The sub-request answers under its caller's id, as its audit entries do.
    const requestId = request.requestId ?? newId('request');
    try {
      const { path, query: pathQuery } = splitPath(input.path);
      const query = { ...pathQuery, ...input.query };
      if (input.method === 'GET' && path === OPENAPI_DOCUMENT_PATH) {
        openApiDocument ??= buildOpenApiDocument(routes);
        status = 200;
        body = openApiDocument;
      } else {
        const match = matchRestRoute(routes, input.method, path);
        if (!match) {
          throw new TollgateError(
            'NOT_FOUND',
            `There is no such endpoint; see ${REST_PREFIX}${OPENAPI_DOCUMENT_PATH}.`,
          );
        }
        const { route, params } = match;
        // The facade's own input builder reads only params, query and body of the request.
        const restRequest = { params, query, body: input.body } as unknown as FastifyRequest;
        const procedureInput = buildProcedureInput(route, shapeOf(shapes, route), restRequest);
        const context = createContextInner({ services, request: playgroundRequest(request, auth, headers) });
        const output = await route.invoke(context, procedureInput);
        status = route.successStatus;
        // As the facade writes it: the declared fields only (route.serialize), read back as a value.
        body = status === 204 ? null : JSON.parse(route.serialize(output));
      }
    } catch (error) {
      const failure = toRestError(error);
      status = failure.status;
      const path = pathOf(input.path);
      const instance = path.startsWith(`${REST_PREFIX}/`) ? path : `${REST_PREFIX}${path}`;
      body = problemDocument(failure, { instance, requestId });
      problem = true;
    }
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    const responseHeaders: Record<string, string> = {};
    if (status !== 204) {
      responseHeaders['content-type'] = problem
        ? 'application/problem+json; charset=utf-8'
        : 'application/json; charset=utf-8';
    }
    responseHeaders['cache-control'] = 'no-store';
    responseHeaders['request-id'] = requestId;
    for (const [name, value] of headers) responseHeaders[name] = value;
    return { status, durationMs, headers: responseHeaders, body };
  }
}
