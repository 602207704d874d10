/** Reference target: bare node:http answering Tollgate's exact response (headers and body) to every request. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { announce, readSpec } from './spec.ts';

const spec = readSpec();
const headers = { ...spec.headers, 'content-length': String(Buffer.byteLength(spec.body)) };
const server = createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(spec.body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => announce(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
