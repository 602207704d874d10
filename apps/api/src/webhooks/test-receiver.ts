import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A local webhook receiver on 127.0.0.1 and a free port. It answers each request with the next status of
 * `answer` (200 once the list is used up), or never while `hold` is set, and records what it received.
 */
export async function startWebhookReceiver(options: { delayMs?: number } = {}) {
  const received: ReceivedDelivery[] = [];
  const statuses: number[] = [];
  let held: (() => void)[] = [];
  let hold = false;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = statuses.shift() ?? 200;
      const answer = () => {
        if (!response.destroyed) response.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      };
      if (hold) held.push(answer);
      else if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Statuses for the next requests, in order. */
    answer(...next: number[]) {
      statuses.push(...next);
    },
    /** Holds answers until release(): a receiver that is slow to answer. */
    hold() {
      hold = true;
    },
    release() {
      hold = false;
      for (const answer of held) answer();
      held = [];
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
