import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { TollgateError } from '@tollgate/domain';
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance, LogController, type onRequestHookHandler } from 'fastify';
import type { Env } from './env.ts';
import { loggerOptions, requestLoggerFactory } from './logger.ts';
import { REQUEST_ID_HEADER, requestIdGenerator } from './request-id.ts';
import { answerClientError, MAX_PATH_PARAMETER_LENGTH, sendRestError, toRestError } from './rest/errors.ts';
import { REST_PREFIX } from './rest/openapi.ts';
import { restFacade } from './rest/plugin.ts';
import type { CookieCodec } from './rest/request.ts';
import { leakReportRoutes } from './routers/credentials/http.ts';
import { type AppRouter, appRouter } from './routers/root.ts';
import type { Services } from './services.ts';
import {
  DATABASE_UNAVAILABLE_MESSAGE,
  toTollgateError,
  UNAVAILABLE_RETRY_AFTER_SECONDS,
} from './trpc/errors.ts';
import { createFastifyContextFactory } from './trpc/fastify-context.ts';

export interface ServerDeps {
  services: Services;
  /** Directory of the built web app; served at `/` when it exists. */
  webDist?: string;
}

const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Fastify takes a hop count as a function of the hop index; the rest it takes as it is. */
function fastifyTrustProxy(
  setting: Env['TRUST_PROXY'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

/** Sets `Request-Id` on a response, as a route's first hook (see the `onRoute` hook of buildServer). */
const setRequestIdHeader: onRequestHookHandler = (request, reply, done) => {
  reply.header(REQUEST_ID_HEADER, request.id);
  done();
};

/** Builds the HTTP server without listening, so tests can drive it with `inject` and `main` can start it. */
export async function buildServer({
  services,
  webDist = DEFAULT_WEB_DIST,
}: ServerDeps): Promise<FastifyInstance> {
  const { env, database } = services;
  const app = Fastify({
    logger: loggerOptions(env.LOG_LEVEL),
    childLoggerFactory: requestLoggerFactory,
    trustProxy: fastifyTrustProxy(env.TRUST_PROXY),
    // `req_…` ids (§7), or a trusted proxy's; the request's log lines carry it as `reqId`.
    genReqId: requestIdGenerator(env.TRUST_PROXY),
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    // The router's own refusals (a malformed %-sequence, a parameter too long) and requests that are not valid
    // HTTP get the §7 error body too, whatever the path.
    frameworkErrors: (error, _request, reply) => sendRestError(reply, toRestError(error)),
    clientErrorHandler: answerClientError,
    // A line per request only when debugging: at info, the hot path writes nothing.
    logController: new LogController({
      disableRequestLogging: env.LOG_LEVEL !== 'debug' && env.LOG_LEVEL !== 'trace',
    }),
  });

  // Request-Id on every response. /api/v1 sets it where its replies are built (its handlers and sendRestError),
  // sparing its hot path a hook; every other route gets a hook that sets it, added here as routes register.
  app.addHook('onRoute', (route) => {
    if (route.url === REST_PREFIX || route.url.startsWith(`${REST_PREFIX}/`)) return;
    const own = route.onRequest;
    route.onRequest = own === undefined ? [setRequestIdHeader] : [setRequestIdHeader, ...[own].flat()];
  });
  // Errors outside /api/v1 (a body tRPC's routes cannot parse, say) get the §7 problem document too.
  app.setErrorHandler((error, request, reply) => {
    const tollgate = toRestError(error);
    if (tollgate.code === 'INTERNAL') request.log.error({ err: error }, 'request failed');
    return sendRestError(reply, tollgate);
  });

  // Requests by route template and status (§17), only when metrics are served: it costs every request a hook.
  if (env.METRICS_PORT !== undefined) services.metrics.instrument(app);

  app.get('/healthz', async () => ({ status: 'ok' }));

  // Ready while the database answers: 503 without it, since nearly every request needs it. A Redis outage
  // leaves it 200, as `degraded`: Redis is shared, so it is down for every replica at once, and a load
  // balancer told "not ready" would take them all out while each can serve — its insurance limiter keeps
  // counting in memory (rate-limit store, §6), never unlimited. The body says so for whoever looks.
  app.get('/readyz', async (_request, reply) => {
    const store = services.rateLimits.store;
    const [databaseCheck, storeCheck] = await Promise.allSettled([
      database.ping(),
      store.kind === 'redis' ? store.ping() : Promise.resolve(),
    ]);
    if (databaseCheck.status === 'rejected') {
      app.log.warn({ err: databaseCheck.reason }, 'readiness check failed: database unreachable');
      return sendRestError(reply, new TollgateError('UNAVAILABLE', DATABASE_UNAVAILABLE_MESSAGE));
    }
    if (storeCheck.status === 'rejected') {
      app.log.warn({ err: storeCheck.reason }, 'readiness check: Redis unreachable, serving degraded');
      return {
        status: 'degraded',
        redis: 'unreachable',
        detail: 'Rate limits are counted in each process’s memory until Redis is back.',
      };
    }
    return { status: 'ready' };
  });

  // The web app's session cookie is set and read through tRPC: the cookie plugin's hooks (parse every request,
  // write Set-Cookie on every response) run there only. /api/v1 parses a cookie only when a procedure asks.
  let cookies: CookieCodec | undefined;
  await app.register(async (trpcScope) => {
    await trpcScope.register(fastifyCookie);
    cookies = { parse: trpcScope.parseCookie, serialize: trpcScope.serializeCookie };
    await trpcScope.register(fastifyTRPCPlugin, {
      prefix: '/trpc',
      trpcOptions: {
        router: appRouter,
        createContext: createFastifyContextFactory(services),
        // Retry-After with a 503, as sendRestError sets it on every other surface.
        responseMeta: ({ errors }) =>
          errors.some((error) => toTollgateError(error).code === 'UNAVAILABLE')
            ? { headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) } }
            : {},
      } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
    });
  });

  if (cookies === undefined) throw new Error('the cookie plugin did not load');
  await app.register(restFacade, {
    services,
    cookies,
    extraRoutes: [leakReportRoutes({ services, cookies })],
  });

  const hasWebApp = existsSync(webDist);
  if (hasWebApp) await app.register(fastifyStatic, { root: webDist, wildcard: false });
  // Client-side routes fall back to the single-page app; API paths (and everything without it) get the 404.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (hasWebApp && request.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/trpc/')) {
      return reply.header(REQUEST_ID_HEADER, request.id).type('text/html').sendFile('index.html');
    }
    return sendRestError(reply, new TollgateError('NOT_FOUND', 'Not found.'));
  });

  return app;
}
