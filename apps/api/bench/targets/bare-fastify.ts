/** Reference target: bare Fastify answering Tollgate's exact response (headers and body) to every request. */
import Fastify from 'fastify';
import { announce, readSpec } from './spec.ts';

const spec = readSpec();
const { 'content-length': _length, ...headers } = spec.headers;
const app = Fastify({ logger: false });
app.get('/*', (_request, reply) => {
  reply.headers(headers);
  // A string with a content type: Fastify sends it as it is, without serialising.
  return reply.send(spec.body);
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
announce(address);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
