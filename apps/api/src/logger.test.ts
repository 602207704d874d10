import { Writable } from 'node:stream';
import { newToken } from '@tollgate/domain';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SESSION_COOKIE } from './auth/session.ts';
import { loggerOptions, requestLoggerFactory } from './logger.ts';

/** Fastify's per-request loggers: bound to the request id, and only made when the request writes a line. */
describe('request loggers', () => {
  let app: FastifyInstance;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    app = Fastify({
      logger: { ...loggerOptions('info'), stream },
      childLoggerFactory: requestLoggerFactory,
      logController: new LogController({ disableRequestLogging: true }),
    });
    app.get('/quiet', async (request) => ({ level: request.log.level }));
    app.get('/loud', async (request) => {
      request.log.debug('not at info');
      request.log.warn({ detail: 42 }, 'something to see');
      request.log.child({ step: 'inner' }).error('from a child');
      return { id: request.id };
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('makes no pino child for a request that writes nothing', async () => {
    const child = vi.spyOn(app.log, 'child');
    const response = await app.inject({ method: 'GET', url: '/quiet' });
    expect(response.json()).toEqual({ level: 'info' });
    expect(child).not.toHaveBeenCalled();
    child.mockRestore();
  });

  it("writes a request's lines with its request id, at the server's level", async () => {
    lines.length = 0;
    const response = await app.inject({ method: 'GET', url: '/loud' });
    const { id } = response.json();
    expect(lines).toEqual([
      expect.objectContaining({ level: 40, reqId: id, detail: 42, msg: 'something to see' }),
      expect.objectContaining({ level: 50, reqId: id, step: 'inner', msg: 'from a child' }),
    ]);
  });
});

/**
 * What must never reach a log line (§10): whatever way it is logged, the secret is absent from the output and
 * `[redacted]` stands in its place. Each case goes through the real logger options and a real request.
 */
describe('redaction', () => {
  const token = newToken('personal').token;
  const otherPrefixToken = newToken('service', { prefix: 'acme' }).token;
  const password = 'correct horse battery staple';
  const sessionSecret = 'Zr0sessionSecretValue1234567890abcdefXYZ';
  let app: FastifyInstance;
  let output = '';

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        output += String(chunk);
        done();
      },
    });
    app = Fastify({
      logger: { ...loggerOptions('info'), stream },
      childLoggerFactory: requestLoggerFactory,
    });
    app.post('/log/:how', async (request) => {
      const { how } = request.params as { how: string };
      const body = request.body as Record<string, string>;
      if (how === 'message') request.log.warn(`could not verify ${body.token}`);
      if (how === 'fields')
        request.log.warn({ input: { password: body.password, token: body.token } }, 'login');
      if (how === 'headers') request.log.warn({ headers: request.headers }, 'headers of a failed call');
      return {};
    });
    app.get('/in-the-url', async () => ({}));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each([
    {
      what: 'a token quoted in a message',
      secrets: [token],
      request: { method: 'POST' as const, url: '/log/message', payload: { token } },
    },
    {
      what: 'a token of another prefix quoted in a message',
      secrets: [otherPrefixToken],
      request: { method: 'POST' as const, url: '/log/message', payload: { token: otherPrefixToken } },
    },
    {
      what: 'password and token fields',
      secrets: [password, token],
      request: { method: 'POST' as const, url: '/log/fields', payload: { password, token } },
    },
    {
      what: 'the Authorization header and the session cookie',
      secrets: [token, sessionSecret],
      request: {
        method: 'POST' as const,
        url: '/log/headers',
        payload: {},
        headers: { authorization: `Bearer ${token}`, cookie: `${SESSION_COOKIE}=${sessionSecret}` },
      },
    },
    {
      what: 'a token in the URL of the request log line',
      secrets: [token],
      request: { method: 'GET' as const, url: `/in-the-url?token=${token}` },
    },
  ])('$what', async ({ secrets, request }) => {
    output = '';
    const response = await app.inject(request);
    expect(response.statusCode).toBe(200);
    // Something was written about the request, and the secret is not in it.
    expect(output).toContain('[redacted]');
    for (const secret of secrets) expect(output).not.toContain(secret);
  });
});
