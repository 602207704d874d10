import { once } from 'node:events';
import net from 'node:net';

/**
 * A TCP proxy in front of a shared server (PostgreSQL, Redis) that a test can cut and restore, so that an
 * outage is one process's view of the network and never touches the server itself.
 */
export interface TcpProxy {
  /** The port the proxy listens on (127.0.0.1). */
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
  /**
   * The server went away: every connection through the proxy is destroyed (the client sees a reset) and new
   * ones are refused (ECONNREFUSED) until {@link restore}.
   */
  cut(): Promise<void>;
  /**
   * The server hangs (frozen, or the network drops packets): connections stay open but nothing is forwarded
   * either way, new ones are accepted and never answered. {@link restore} resets them all.
   */
  hang(): void;
  /** The server is back: new connections are forwarded again; the ones held by a hang are reset. */
  restore(): Promise<void>;
  /** How many connections were forwarded to the server so far. */
  readonly forwarded: number;
  close(): Promise<void>;
}

type Mode = 'open' | 'cut' | 'hang';

/** The ports helpers of this worktree may listen on (see the task's port range). */
const FIRST_PORT = 7100;
const LAST_PORT = 7199;

/** Starts a proxy to `target` on the first free port of the range. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: Mode = 'open';
  let forwarded = 0;
  const sockets = new Set<net.Socket>();
  /** Sockets that saw a hang: their stream lost bytes, so they can only be reset. */
  const held = new Set<net.Socket>();

  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      held.delete(socket);
    });
    // A reset seen by either side is what a test provokes; it must not crash the test process.
    socket.on('error', () => socket.destroy());
  };

  // Half-open sockets: a hanging server does not answer a FIN either, so the proxy passes a FIN on only
  // while forwarding (pg's end() waits for the other side to close, which a hung server never does).
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    track(client);
    if (mode !== 'open') {
      // Only a hang accepts (cut closes the listener): hold the connection, read and drop what it sends.
      held.add(client);
      client.on('data', () => {});
      return;
    }
    forwarded++;
    const upstream = net.connect({ port: target.port, host: target.host, allowHalfOpen: true });
    track(upstream);
    const forward = (from: net.Socket, to: net.Socket) => {
      from.on('data', (chunk) => {
        if (!held.has(from)) to.write(chunk);
      });
      from.on('end', () => {
        if (!held.has(from)) to.end();
      });
    };
    forward(client, upstream);
    forward(upstream, client);
    const pair = [client, upstream] as const;
    for (const socket of pair) {
      socket.on('close', () => {
        for (const other of pair) other.destroy();
      });
    }
  });

  const port = await listenInRange(server);

  const listen = async () => {
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
  };

  return {
    port,
    get forwarded() {
      return forwarded;
    },
    urlFor(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    async cut() {
      if (mode === 'cut') return;
      const wasListening = mode === 'open' || mode === 'hang';
      mode = 'cut';
      for (const socket of sockets) socket.destroy();
      if (wasListening) await new Promise<void>((done) => server.close(() => done()));
    },
    hang() {
      if (mode === 'cut') throw new Error('restore() a cut proxy before hanging it');
      mode = 'hang';
      for (const socket of sockets) held.add(socket);
    },
    async restore() {
      const wasCut = mode === 'cut';
      mode = 'open';
      for (const socket of held) socket.destroy();
      held.clear();
      if (wasCut) await listen();
    },
    async close() {
      mode = 'cut';
      for (const socket of sockets) socket.destroy();
      if (server.listening) await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

async function listenInRange(server: net.Server): Promise<number> {
  // Other test files may hold ports of the range meanwhile: take the first free one from a random start.
  const span = LAST_PORT - FIRST_PORT + 1;
  const start = Math.floor(Math.random() * span);
  for (let offset = 0; offset < span; offset++) {
    const port = FIRST_PORT + ((start + offset) % span);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      return port;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  throw new Error(`no free port in ${FIRST_PORT}–${LAST_PORT}`);
}
