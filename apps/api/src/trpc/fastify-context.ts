import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import { httpRequestFields } from '../request-info.ts';
import type { Services } from '../services.ts';
import type { Context, PlaygroundDispatcher } from './context.ts';

/** Adapts a Fastify request/reply to the framework-free {@link Context} procedures use. */
export function createFastifyContextFactory(services: Services, playground?: PlaygroundDispatcher) {
  return ({ req, res }: CreateFastifyContextOptions): Context => ({
    services,
    ...(playground ? { playground } : {}),
    request: {
      ...httpRequestFields(req),
      getCookie: (name) => req.cookies[name],
      setCookie: (name, value, options) => {
        res.setCookie(name, value, options);
      },
      clearCookie: (name, options) => {
        res.clearCookie(name, options);
      },
      setHeader: (name, value) => {
        res.header(name, value);
      },
    },
  });
}
