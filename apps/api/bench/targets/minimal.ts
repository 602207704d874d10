/**
 * Reference target: the design's lower bound for GET /api/v1/tokens/self, written by hand — Fastify, a Bearer
 * regex, SHA-256, a Map lookup, the two §6 windows counted with rate-limiter-flexible (in memory, or in Redis
 * with ioredis auto-pipelining as Tollgate does), the same headers (rate-limit ones computed) and the same
 * body. `minimal.ts <spec.json> memory|redis`.
 */
import { createHash } from 'node:crypto';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { announce, COMPUTED_HEADERS, readSpec } from './spec.ts';

const spec = readSpec();
const store = process.argv[3] === 'redis' ? 'redis' : 'memory';
const LIMIT = 1_000_000_000;
const WINDOWS = [
  { name: 'minute', seconds: 60 },
  { name: 'hour', seconds: 3_600 },
] as const;

const records = new Map(spec.tokens.map((token) => [token.hash, token]));
const staticHeaders = Object.fromEntries(
  Object.entries(spec.headers).filter(([name]) => !COMPUTED_HEADERS.includes(name)),
);

let redis: Redis | null = null;
if (store === 'redis') {
  if (!spec.redis) throw new Error('the spec has no Redis settings');
  redis = new Redis(spec.redis.url, { enableAutoPipelining: true, enableOfflineQueue: false });
  await new Promise<void>((resolve, reject) => {
    redis?.once('ready', () => resolve());
    redis?.once('error', reject);
  });
}
const limiters: RateLimiterAbstract[] = WINDOWS.map(({ name, seconds }) =>
  redis
    ? new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${spec.redis?.keyPrefix}:minimal:${name}`,
        points: LIMIT,
        duration: seconds,
      })
    : new RateLimiterMemory({ keyPrefix: `minimal:${name}`, points: LIMIT, duration: seconds }),
);
const [minute, hour] = limiters as [RateLimiterAbstract, RateLimiterAbstract];

const BEARER = /^Bearer ([A-Za-z0-9_]+)$/;
const unauthorized = JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'Invalid token.' } });

const app = Fastify({ logger: false });
app.get('/api/v1/tokens/self', async (request, reply) => {
  const match = BEARER.exec(request.headers.authorization ?? '');
  const record =
    match &&
    records.get(
      createHash('sha256')
        .update(match[1] as string)
        .digest('hex'),
    );
  if (!record) return reply.code(401).type('application/json').send(unauthorized);
  const key = `org:${record.organizationId}`;
  const [perMinute, perHour] = await Promise.all([minute.consume(key), hour.consume(key)]);
  const binding = perHour.remainingPoints < perMinute.remainingPoints ? perHour : perMinute;
  const window = binding === perHour ? 'hour' : 'minute';
  const resetSeconds = Math.ceil(binding.msBeforeNext / 1000);
  reply.headers(staticHeaders);
  reply.header('x-ratelimit-limit', String(LIMIT));
  reply.header('x-ratelimit-remaining', String(binding.remainingPoints));
  reply.header('x-ratelimit-reset', String(Math.ceil((Date.now() + binding.msBeforeNext) / 1000)));
  reply.header('ratelimit', `"${window}";r=${binding.remainingPoints};t=${resetSeconds}`);
  return reply.send(spec.body);
});
announce(await app.listen({ host: '127.0.0.1', port: 0 }));
process.once('SIGTERM', () => {
  void app
    .close()
    .then(() => redis?.quit())
    .finally(() => process.exit(0));
});
