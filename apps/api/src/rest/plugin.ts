import { isTollgateError, TollgateError } from '@tollgate/domain';
import { TRPCError } from '@trpc/server';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { REQUEST_ID_HEADER } from '../request-id.ts';
import type { Services } from '../services.ts';
import type { Context } from '../trpc/context.ts';
import { ERRORS_PAGE_PATH, renderDocsPage } from './docs-page.ts';
import { CACHE_CONTROL, NO_STORE, sendRestError, toRestError } from './errors.ts';
import { inputJsonSchema, objectShape } from './json-schema.ts';
import { leakReportRoutes } from './leaks.ts';
import { buildOpenApiDocument, OPENAPI_DOCUMENT_PATH, REST_PREFIX } from './openapi.ts';
import { buildProcedureInput, type CookieCodec, restRequestInfo } from './request.ts';
import type { RestRouteEntry } from './route-table.ts';

/** What Fastify would set for an object body; a body serialised here is sent as a string, so it is said here. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export interface RestPluginOptions {
  services: Services;
  /** The route table of the app router, built once at start-up (server.ts): what is served and documented. */
  routes: readonly RestRouteEntry[];
  /** The cookie plugin's parser and serialiser; a Cookie header is parsed only when a procedure asks for one. */
  cookies: CookieCodec;
  /** Largest accepted JSON body in bytes; the server's bodyLimit when absent. */
  bodyLimit?: number;
}

/**
 * The REST facade (§7), to be registered under /api/v1: one route per procedure that declares `rest` in its
 * meta, each invoking that same procedure with its own middleware chain (the same checks and audit as /trpc),
 * plus the OpenAPI document. Every error of this prefix, Fastify's own included (malformed JSON, body too
 * large, wrong content type, unknown route), is answered with the §7 error body.
 */
export const restPlugin: FastifyPluginAsync<RestPluginOptions> = async (app, options) => {
  const { services, routes } = options;

  // JSON only: any other Content-Type with a body is 415. An empty JSON body counts as none (curl -X POST).
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }) },
    (request, body, done) => {
      if (body === '') {
        done(null, undefined);
        return;
      }
      parseJson(request, body as string, done);
    },
  );

  app.setErrorHandler((error, request, reply) => {
    const tollgate = toRestError(error);
    // Procedures' internal failures are logged by the tRPC chain already (they reach here as TRPCErrors), and a
    // TollgateError is an answer, not a failure; the rest is logged here.
    if (tollgate.code === 'INTERNAL' && !isTollgateError(error) && !(error instanceof TRPCError)) {
      request.log.error({ err: error }, 'REST request failed');
    }
    return sendRestError(reply, tollgate);
  });

  app.setNotFoundHandler((_request, reply) =>
    sendRestError(
      reply,
      new TollgateError(
        'NOT_FOUND',
        `There is no such endpoint; see ${REST_PREFIX}${OPENAPI_DOCUMENT_PATH}.`,
      ),
    ),
  );

  const document = buildOpenApiDocument(routes);
  app.get(OPENAPI_DOCUMENT_PATH, async (request, reply) =>
    reply.header(CACHE_CONTROL, NO_STORE).header(REQUEST_ID_HEADER, request.id).send(document),
  );

  // The leak-report endpoints of §13: not procedures' routes (no Bearer token), in this scope for its
  // JSON parsing and §7 errors.
  await app.register(leakReportRoutes({ services, cookies: options.cookies }));

  for (const route of routes) {
    const shape = objectShape(inputJsonSchema(route.inputs));
    app.route({
      method: route.method,
      url: route.fastifyPath,
      handler: async (request, reply) => {
        // Responses may hold secrets (a token's plain value on create and rotate): never stored by a cache.
        // Set here and in sendRestError rather than in an onSend hook: a hook costs every request a hook run.
        // Request-Id the same way (§7; every other surface gets it from server.ts's per-route hook).
        reply.header(CACHE_CONTROL, NO_STORE).header(REQUEST_ID_HEADER, request.id);
        const context: Context = { services, request: restRequestInfo(request, reply, options.cookies) };
        const output = await route.invoke(context, buildProcedureInput(route, shape, request));
        if (route.successStatus === 204) return reply.code(204).send();
        return reply.code(route.successStatus).type(JSON_CONTENT_TYPE).send(route.serialize(output));
      },
    });
  }
};

/** The /docs reference page, rendered once from the OpenAPI document. */
export const docsPlugin: FastifyPluginAsync<Pick<RestPluginOptions, 'routes'>> = async (app, { routes }) => {
  const html = renderDocsPage(buildOpenApiDocument(routes));
  const sendPage = async (_request: unknown, reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').send(html);
  app.get('/docs', sendPage);
  // Where problem documents' `type` points: the same page, whose errors section anchors each code.
  app.get(ERRORS_PAGE_PATH, sendPage);
};

/** Everything of the REST surface in one registration: /api/v1 (routes and OpenAPI document) and /docs. */
export const restFacade: FastifyPluginAsync<RestPluginOptions> = async (app, options) => {
  await app.register(restPlugin, { ...options, prefix: REST_PREFIX });
  await app.register(docsPlugin, { routes: options.routes });
};
