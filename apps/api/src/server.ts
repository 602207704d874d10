import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Env } from './env.ts';
import { loggerOptions, requestLoggerFactory } from './logger.ts';
import { answerClientError, MAX_PATH_PARAMETER_LENGTH, sendRestError, toRestError } from './rest/errors.ts';
import { restFacade } from './rest/plugin.ts';
import type { CookieCodec } from './rest/request.ts';
import { type AppRouter, appRouter } from './routers/root.ts';
import type { Services } from './services.ts';
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

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    try {
      await database.ping();
      return { status: 'ready' };
    } catch (error) {
      app.log.warn({ err: error }, 'readiness check failed: database unreachable');
      return reply.code(503).send({
        success: false,
        error: 'The database is unreachable. Please try again later.',
        code: 'UNAVAILABLE',
      });
    }
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
      } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'],
    });
  });

  if (cookies === undefined) throw new Error('the cookie plugin did not load');
  await app.register(restFacade, { services, cookies });

  if (existsSync(webDist)) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false });
    // Client-side routes fall back to the single-page app; API paths keep their own 404s.
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      if (request.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/trpc/')) {
        return reply.type('text/html').sendFile('index.html');
      }
      return reply.code(404).send({ success: false, error: 'Not found.', code: 'NOT_FOUND' });
    });
  }

  return app;
}
