import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import { authorizationHeaderOf } from '../auth/authorization-header.ts';
import type { Services } from '../services.ts';
import type { Context, PlaygroundDispatcher } from './context.ts';

function header(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

/** Adapts a Fastify request/reply to the framework-free {@link Context} procedures use. */
export function createFastifyContextFactory(services: Services, playground?: PlaygroundDispatcher) {
  return ({ req, res }: CreateFastifyContextOptions): Context => ({
    services,
    ...(playground ? { playground } : {}),
    request: {
      requestId: req.id,
      ip: req.ip,
      userAgent: header(req.headers['user-agent']),
      ...authorizationHeaderOf(req.raw),
      csrfToken: header(req.headers['x-csrf-token']),
      secure: req.protocol === 'https',
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
