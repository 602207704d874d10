import pg from 'pg';

/** Called with each payload sent to the channel. */
export type NotificationListener = (payload: string) => void;

export interface ListenOptions {
  /**
   * Called after the listening connection was lost and re-established. Notifications sent meanwhile were
   * lost: a cache kept fresh by them should be dropped here.
   */
  onReconnect?: () => void;
}

const CHANNEL_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Channel names are plain lower-case identifiers, so that LISTEN needs no quoting in either engine. */
export function assertChannelName(channel: string): void {
  if (!CHANNEL_PATTERN.test(channel)) {
    throw new Error(
      `Invalid notification channel "${channel}": use lower-case letters, digits and _ (max 63).`,
    );
  }
}

/** Runs a listener so that a throwing listener cannot break the connection delivering to it. */
export function deliver(
  listener: NotificationListener,
  payload: string,
  onError: (error: unknown) => void,
): void {
  try {
    listener(payload);
  } catch (error) {
    onError(error);
  }
}

const RECONNECT_BASE_DELAY_MS = 100;
/**
 * At most this long between two attempts: notifications missed while disconnected are lost, and the caches
 * they keep fresh start over once it is back (onReconnect), so coming back soon after the database matters
 * more than sparing it a connection attempt every two seconds.
 */
const RECONNECT_MAX_DELAY_MS = 2_000;

interface Subscription {
  listener: NotificationListener;
  onReconnect: (() => void) | undefined;
}

/**
 * LISTEN for a PostgreSQL database on one dedicated connection (pooled connections cannot LISTEN), shared
 * by every channel of a handle. Connects on the first listen() and reconnects with exponential backoff when
 * the connection drops, listening again to every channel.
 */
export class PostgresNotificationListener {
  readonly #config: pg.ClientConfig;
  readonly #onError: (error: unknown) => void;
  readonly #channels = new Map<string, Set<Subscription>>();
  #client: pg.Client | undefined;
  #connecting: Promise<pg.Client> | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #failedAttempts = 0;
  #closed = false;

  constructor(config: pg.ClientConfig, onError: (error: unknown) => void) {
    this.#config = { ...config, application_name: 'tollgate-listener', keepAlive: true };
    this.#onError = onError;
  }

  async listen(
    channel: string,
    listener: NotificationListener,
    options: ListenOptions = {},
  ): Promise<() => Promise<void>> {
    assertChannelName(channel);
    if (this.#closed) throw new Error('The database handle is closed.');
    let subscriptions = this.#channels.get(channel);
    const firstOnChannel = subscriptions === undefined;
    if (subscriptions === undefined) {
      subscriptions = new Set();
      this.#channels.set(channel, subscriptions);
    }
    const subscription: Subscription = { listener, onReconnect: options.onReconnect };
    subscriptions.add(subscription);
    try {
      const client = await this.#connect();
      // A fresh connection already listens to every known channel.
      if (firstOnChannel) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      this.#remove(channel, subscription);
      throw error;
    }
    let unsubscribed = false;
    return async () => {
      if (unsubscribed) return;
      unsubscribed = true;
      if (this.#remove(channel, subscription) && this.#client) {
        await this.#client.query(`UNLISTEN ${channel}`).catch(this.#onError);
      }
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    this.#channels.clear();
    const client = this.#client ?? (await this.#connecting?.catch(() => undefined));
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Removes a subscription; true when it was the channel's last one. */
  #remove(channel: string, subscription: Subscription): boolean {
    const subscriptions = this.#channels.get(channel);
    if (!subscriptions?.delete(subscription) || subscriptions.size > 0) return false;
    this.#channels.delete(channel);
    return true;
  }

  #connect(): Promise<pg.Client> {
    if (this.#client) return Promise.resolve(this.#client);
    this.#connecting ??= this.#open().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #open(): Promise<pg.Client> {
    const client = new pg.Client(this.#config);
    client.on('notification', (message) => {
      for (const subscription of this.#channels.get(message.channel) ?? []) {
        deliver(subscription.listener, message.payload ?? '', this.#onError);
      }
    });
    client.on('error', (error) => {
      if (this.#client === client) this.#onError(error);
      this.#drop(client);
    });
    client.on('end', () => this.#drop(client));
    try {
      await client.connect();
      for (const channel of this.#channels.keys()) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      throw new Error('The database handle is closed.');
    }
    this.#client = client;
    return client;
  }

  #drop(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    client.end().catch(() => undefined);
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#reconnectTimer || this.#channels.size === 0) return;
    const backoff = Math.min(RECONNECT_BASE_DELAY_MS * 2 ** this.#failedAttempts, RECONNECT_MAX_DELAY_MS);
    const delay = backoff / 2 + Math.random() * (backoff / 2);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      this.#connect().then(
        () => {
          this.#failedAttempts = 0;
          for (const subscriptions of this.#channels.values()) {
            for (const { onReconnect } of subscriptions) {
              if (onReconnect) deliver(onReconnect, '', this.#onError);
            }
          }
        },
        (error: unknown) => {
          // The first failed attempt of an outage is reported; the next ones (every ≤ 2 s) would only repeat it.
          if (!this.#closed && this.#failedAttempts === 0) this.#onError(error);
          this.#failedAttempts++;
          this.#scheduleReconnect();
        },
      );
    }, delay);
    // Reconnecting alone should not keep a finished process alive.
    this.#reconnectTimer.unref();
  }
}
