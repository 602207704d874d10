import { createDatabase } from '@tollgate/db';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHarness, type TestHarness } from '../test/helpers/harness.ts';
import { loadEnv } from './env.ts';
import { buildServer } from './server.ts';
import { createServices } from './services.ts';

describe('health endpoints', () => {
  let harness: TestHarness;
  let app: Awaited<ReturnType<typeof buildServer>>;

  beforeAll(async () => {
    harness = await createTestHarness();
    app = await buildServer({ services: harness.services, webDist: '/nonexistent' });
  });
  afterAll(async () => {
    await app.close();
    await harness.close();
  });

  it('answers /healthz while the process is up', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 when the database is reachable', async () => {
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready' });
  });
});

describe('readiness without a database', () => {
  it('answers /readyz with 503 UNAVAILABLE and the error body of §7 when the database is unreachable', async () => {
    // Nothing listens on port 1: the pool fails to connect rather than hanging.
    const database = await createDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none' });
    const services = createServices({
      env: loadEnv({ LOG_LEVEL: 'silent' }),
      database,
      log: pino({ level: 'silent' }),
    });
    const app = await buildServer({ services, webDist: '/nonexistent' });
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.json()).toEqual({
        success: false,
        error: expect.stringMatching(/database/i),
        code: 'UNAVAILABLE',
        type: '/docs/errors#UNAVAILABLE',
        title: 'Service unavailable',
        status: 503,
        detail: response.json().error,
        instance: '/readyz',
        requestId: response.headers['request-id'],
      });
      expect(response.body).not.toMatch(/ECONNREFUSED|at .*\.ts/);
    } finally {
      await app.close();
      await database.close();
    }
  });
});
