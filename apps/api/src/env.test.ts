import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from './env.ts';

describe('loadEnv', () => {
  it('applies the defaults of §1 when nothing is set', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      TOKEN_PREFIX: 'tg',
      TRUST_PROXY: false,
      LOG_LEVEL: 'info',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: false,
      METRICS_HOST: '127.0.0.1',
      DATABASE_CONNECT_TIMEOUT_MS: 3000,
      DATABASE_STATEMENT_TIMEOUT_MS: 5000,
    });
    // Metrics are off unless a port is given.
    expect(env.METRICS_PORT).toBeUndefined();
    expect(loadEnv({ METRICS_PORT: '9464' }).METRICS_PORT).toBe(9464);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ TOKEN_PREFIX: 'TG!' }, 'TOKEN_PREFIX'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes' }, 'WEBHOOK_ALLOW_PRIVATE_NETWORKS'],
    [{ METRICS_PORT: 'metrics' }, 'METRICS_PORT'],
    [{ METRICS_PORT: '65536' }, 'METRICS_PORT'],
    [{ METRICS_HOST: '' }, 'METRICS_HOST'],
    [{ DATABASE_CONNECT_TIMEOUT_MS: '0' }, 'DATABASE_CONNECT_TIMEOUT_MS'],
    [{ DATABASE_CONNECT_TIMEOUT_MS: '3s' }, 'DATABASE_CONNECT_TIMEOUT_MS'],
    [{ DATABASE_STATEMENT_TIMEOUT_MS: '-1' }, 'DATABASE_STATEMENT_TIMEOUT_MS'],
  ])('refuses %o with one line naming %s', (source, variable) => {
    expect(() => loadEnv(source)).toThrow(EnvError);
    try {
      loadEnv(source);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain(variable);
      expect(message).not.toContain('\n');
    }
  });

  it.each([
    ['true', true],
    ['false', false],
    ['2', 2],
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadEnv({ TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it.each([
    ['true', true],
    ['false', false],
  ])('reads WEBHOOK_ALLOW_PRIVATE_NETWORKS=%s', (value, expected) => {
    expect(loadEnv({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: value }).WEBHOOK_ALLOW_PRIVATE_NETWORKS).toBe(expected);
  });

  it.each([
    ['github', { url: 'https://api.github.com/meta/public_keys/secret_scanning' }],
    ['https://keys.example.com/scanner.json', { url: 'https://keys.example.com/scanner.json' }],
    ['/etc/tollgate/github-keys.json', { file: '/etc/tollgate/github-keys.json' }],
  ])('reads GITHUB_SECRET_SCANNING_KEYS=%s', (value, expected) => {
    expect(loadEnv({ GITHUB_SECRET_SCANNING_KEYS: value }).GITHUB_SECRET_SCANNING_KEYS).toEqual(expected);
    expect(loadEnv({}).GITHUB_SECRET_SCANNING_KEYS).toBeUndefined();
  });
});
