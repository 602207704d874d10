import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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
