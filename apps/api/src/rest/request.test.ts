import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CookieOptions } from '../request-info.ts';
import { restRequestInfo } from './request.ts';

/**
 * /api/v1 reads and writes cookies without the cookie plugin's per-request hooks, through the plugin's own
 * parser and serialiser: what a procedure sees and sets must be exactly what it would with the plugin.
 */
describe('REST request info: cookies', () => {
  let app: FastifyInstance;
  const options: CookieOptions = { httpOnly: true, path: '/', secure: true, maxAge: 3600 };

  beforeAll(async () => {
    app = Fastify();
    await app.register(async (scope) => {
      await scope.register(fastifyCookie);
      const codec = { parse: scope.parseCookie, serialize: scope.serializeCookie };
      scope.get('/plugin/set', async (_request, reply) => reply.setCookie('sid', 'abc', options).send({}));
      scope.get('/plugin/clear', async (_request, reply) => reply.clearCookie('sid', options).send({}));
      // A route of a scope without the plugin, as /api/v1 is.
      app.get('/rest/set', async (request, reply) => {
        restRequestInfo(request, reply, codec).setCookie('sid', 'abc', options);
        return {};
      });
      app.get('/rest/clear', async (request, reply) => {
        restRequestInfo(request, reply, codec).clearCookie('sid', options);
        return {};
      });
      app.get('/rest/get', async (request, reply) => ({
        sid: restRequestInfo(request, reply, codec).getCookie('sid') ?? null,
      }));
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each(['set', 'clear'])('%s writes the Set-Cookie header the plugin writes', async (action) => {
    const viaPlugin = await app.inject({ method: 'GET', url: `/plugin/${action}` });
    const viaRest = await app.inject({ method: 'GET', url: `/rest/${action}` });
    expect(viaPlugin.headers['set-cookie']).toMatch(/^sid=/);
    expect(viaRest.headers['set-cookie']).toEqual(viaPlugin.headers['set-cookie']);
  });

  it.each<[label: string, headers: Record<string, string>, expected: string | null]>([
    ['a same-origin browser call', { cookie: 'a=1; sid=xyz', 'sec-fetch-site': 'same-origin' }, 'xyz'],
    ['a cross-site call', { cookie: 'sid=xyz', 'sec-fetch-site': 'cross-site' }, null],
    ['a script without Origin', { cookie: 'sid=xyz' }, null],
    ['no Cookie header', { 'sec-fetch-site': 'same-origin' }, null],
  ])('reads the cookie of %s', async (_label, headers, expected) => {
    const response = await app.inject({ method: 'GET', url: '/rest/get', headers });
    expect(response.json()).toEqual({ sid: expected });
  });
});
