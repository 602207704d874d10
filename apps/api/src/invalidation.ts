import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from '@tollgate/db';
import type { Logger } from 'pino';

/**
 * What changed, so that every API process can drop what it cached about it. Sent through PostgreSQL
 * LISTEN/NOTIFY (PGlite supports it too), which reaches every process on the same database at once.
 */
export type InvalidationEvent =
  | { kind: 'token'; tokenId: string }
  | { kind: 'organization'; organizationId: string }
  | { kind: 'member'; organizationId: string; userId: string }
  | { kind: 'all' };

export type InvalidationListener = (event: InvalidationEvent) => void;

export const INVALIDATION_CHANNEL = 'tollgate_invalidate';

export class Invalidation {
  /** Identifies this process's own notifications, which were already applied locally. */
  readonly #origin = randomUUID();
  readonly #listeners = new Set<InvalidationListener>();
  #unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly log: Logger,
  ) {}

  /**
   * Starts receiving other processes' invalidations. Notifications sent while the LISTEN connection was down
   * are lost, so a reconnect invalidates everything (`{ kind: 'all' }`): caches start over rather than serve
   * what may since have been revoked.
   */
  async start(): Promise<void> {
    this.#unlisten = await this.database.listen(
      INVALIDATION_CHANNEL,
      (payload) => {
        try {
          const message = JSON.parse(payload) as { origin: string; event: InvalidationEvent };
          if (message.origin !== this.#origin) this.#dispatch(message.event);
        } catch (error) {
          this.log.warn({ err: error }, 'ignored a malformed invalidation message');
        }
      },
      {
        onReconnect: () => {
          this.log.warn('invalidation listener reconnected; dropping every cached token');
          this.#dispatch({ kind: 'all' });
        },
      },
    );
  }

  async stop(): Promise<void> {
    await this.#unlisten?.();
    this.#unlisten = null;
  }

  subscribe(listener: InvalidationListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Applies the invalidation in this process at once, then tells the others. Call it after the change has
   * committed: a process that re-reads before the commit would cache the old state again.
   */
  async publish(event: InvalidationEvent): Promise<void> {
    this.#dispatch(event);
    await this.database.notify(INVALIDATION_CHANNEL, JSON.stringify({ origin: this.#origin, event }));
  }

  #dispatch(event: InvalidationEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
