import {
  type ClaimedWebhookDelivery,
  claimDueWebhookDeliveries,
  completeWebhookAttempt,
  type Database,
  type Executor,
} from '@tollgate/db';
import { newId } from '@tollgate/domain';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import { DatabaseOutageLog } from '../database-outage.ts';
import { PrivateDestinationError, postWebhook, type ResolveHost } from './destination.ts';
import { runTokenExpiringJob } from './expiring.ts';
import type { WebhookSecretBox } from './secrets.ts';
import { signDelivery } from './signing.ts';

export interface WebhookWorkerOptions {
  db: Kysely<Database>;
  log: Logger;
  clock: Clock;
  secrets: WebhookSecretBox;
  /** How often the loop looks for due deliveries (default 1 s). */
  intervalMs?: number;
  /** How often the token.expiring job runs (default 60 s). */
  expiringIntervalMs?: number;
  /** Deliveries claimed per round (default 10), sent concurrently. */
  batchSize?: number;
  /** Time limit of one attempt (default 10 s). */
  timeoutMs?: number;
  /** Attempts before a delivery is given up as failed (default 8). */
  maxAttempts?: number;
  /** Delay before the first retry; doubles with each attempt (default 10 s). */
  backoffBaseMs?: number;
  /** Random numbers in [0, 1) for the backoff jitter (default Math.random). */
  random?: () => number;
  /** Deliver to private, loopback and link-local addresses too (WEBHOOK_ALLOW_PRIVATE_NETWORKS; default no). */
  allowPrivateNetworks?: boolean;
  /** How receivers' host names are resolved when only public addresses are allowed (tests); the system's. */
  resolve?: ResolveHost;
  /** Told the result of every attempt (the metrics of §17). */
  onAttempt?: (result: 'succeeded' | 'retrying' | 'failed') => void;
}

export interface WebhookRoundResult {
  claimed: number;
  succeeded: number;
  retrying: number;
  failed: number;
}

const USER_AGENT = 'Tollgate-Webhooks/1';
/** Jitter adds up to this fraction of the delay, so receivers that failed together are not retried together. */
const MAX_JITTER = 0.2;

/**
 * The delay before retrying after the `attempt`-th failed attempt (1-based): base × 2^(attempt−1), plus up
 * to 20 % jitter. With the defaults: ≈10 s, 20 s, 40 s, … 640 s, about 21 minutes over 8 attempts.
 */
export function retryDelayMs(attempt: number, baseMs: number, random: number): number {
  return Math.round(baseMs * 2 ** (attempt - 1) * (1 + MAX_JITTER * random));
}

/**
 * Sends webhook deliveries from the outbox. Each round claims due deliveries with FOR UPDATE SKIP LOCKED and
 * leases them (next_attempt_at moves past the attempt's time limit) in one short transaction, then sends
 * them outside any transaction, then records each attempt only while its lease still holds. Any number of
 * API processes can run it on one database without sending a delivery twice.
 *
 * A delivery: POST of the event as JSON with `Tollgate-Webhook-Id` (the event id), `Tollgate-Webhook-Timestamp`
 * (Unix seconds) and `Tollgate-Webhook-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, and the
 * same as Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`);
 * during the 24 hours after a secret roll, signed with both secrets (signing.ts). A 2xx
 * answer succeeds; anything else (redirects included) or no answer within the time limit is retried with
 * exponential backoff until maxAttempts, then the delivery is failed. A delivery whose subscription has been
 * deactivated is failed without an attempt.
 */
export class WebhookWorker {
  readonly #db: Kysely<Database>;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #secrets: WebhookSecretBox;
  readonly #intervalMs: number;
  readonly #expiringIntervalMs: number;
  readonly #batchSize: number;
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #backoffBaseMs: number;
  readonly #random: () => number;
  readonly #allowPrivateNetworks: boolean;
  readonly #resolve: ResolveHost | undefined;
  readonly #onAttempt: WebhookWorkerOptions['onAttempt'];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #lastExpiringRun = Number.NEGATIVE_INFINITY;
  /** The loop goes on through a database outage, reporting it once (and once when it is over). */
  readonly #outage: DatabaseOutageLog;

  constructor(options: WebhookWorkerOptions) {
    this.#db = options.db;
    this.#log = options.log;
    this.#clock = options.clock;
    this.#secrets = options.secrets;
    this.#intervalMs = options.intervalMs ?? 1_000;
    this.#expiringIntervalMs = options.expiringIntervalMs ?? 60_000;
    this.#batchSize = options.batchSize ?? 10;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxAttempts = options.maxAttempts ?? 8;
    this.#backoffBaseMs = options.backoffBaseMs ?? 10_000;
    this.#random = options.random ?? Math.random;
    this.#allowPrivateNetworks = options.allowPrivateNetworks ?? false;
    this.#resolve = options.resolve;
    this.#onAttempt = options.onAttempt;
    this.#outage = new DatabaseOutageLog(options.log, 'webhook worker');
  }

  /** Starts the loop (idempotent). The timer is unref'd: it never keeps the process alive. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      if (this.#running !== undefined) return;
      this.#running = this.#tick().finally(() => {
        this.#running = undefined;
      });
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** Stops the loop and waits for the round in progress, if any. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  async #tick(): Promise<void> {
    const now = this.#clock.now().getTime();
    if (now - this.#lastExpiringRun >= this.#expiringIntervalMs) {
      this.#lastExpiringRun = now;
      try {
        await this.runExpiringTokensJob();
      } catch (error) {
        if (!this.#outage.failed(error)) {
          this.#log.error({ err: error }, 'token.expiring job failed');
        } else {
          // The database is away: try again on the next tick rather than an interval later, and skip the
          // deliveries, which cannot be claimed either.
          this.#lastExpiringRun = Number.NEGATIVE_INFINITY;
          return;
        }
      }
    }
    try {
      // Keep going while rounds come back full, so a backlog drains faster than one batch per interval.
      while ((await this.runOnce()).claimed === this.#batchSize && this.#timer !== undefined) {}
      this.#outage.succeeded();
    } catch (error) {
      if (!this.#outage.failed(error)) this.#log.error({ err: error }, 'webhook worker round failed');
    }
  }

  /** Announces tokens that reach an expiry notice mark (`token.expiring`, once per mark); how many notices were sent. */
  runExpiringTokensJob(): Promise<number> {
    return runTokenExpiringJob(this.#db, this.#clock.now());
  }

  /** One round: claims the deliveries due now, sends them and records the outcomes. */
  async runOnce(): Promise<WebhookRoundResult> {
    const now = this.#clock.now();
    // The lease outlasts the attempt's time limit, so no other worker takes a delivery still being sent.
    const leaseUntil = new Date(now.getTime() + this.#timeoutMs + 60_000);
    const claimed = await this.#db
      .transaction()
      .execute((tx: Executor) => claimDueWebhookDeliveries(tx, { now, leaseUntil, limit: this.#batchSize }));
    const result: WebhookRoundResult = { claimed: claimed.length, succeeded: 0, retrying: 0, failed: 0 };
    const outcomes = await Promise.all(claimed.map((delivery) => this.#deliver(delivery, leaseUntil)));
    for (const outcome of outcomes) result[outcome] += 1;
    return result;
  }

  async #deliver(
    delivery: ClaimedWebhookDelivery,
    leaseUntil: Date,
  ): Promise<'succeeded' | 'retrying' | 'failed'> {
    if (!delivery.subscriptionActive) {
      await this.#complete(delivery, leaseUntil, {
        status: 'failed',
        attempted: false,
        startedAt: this.#clock.now(),
        statusCode: null,
        durationMs: 0,
        error: null,
      });
      return 'failed';
    }
    const startedAt = this.#clock.now();
    const timestamp = Math.floor(startedAt.getTime() / 1000);
    const body = JSON.stringify({
      id: delivery.eventId,
      type: delivery.eventType,
      createdAt: delivery.eventCreatedAt.toISOString(),
      organizationId: delivery.organizationId,
      data: delivery.payload,
    });
    let statusCode: number | null = null;
    let error: string | null = null;
    const started = performance.now();
    try {
      const secrets = [await this.#secrets.decrypt(delivery.secretCiphertext, delivery.subscriptionId)];
      if (
        delivery.previousSecretCiphertext !== null &&
        delivery.previousSecretExpiresAt !== null &&
        delivery.previousSecretExpiresAt > startedAt
      ) {
        secrets.push(await this.#secrets.decrypt(delivery.previousSecretCiphertext, delivery.subscriptionId));
      }
      statusCode = await postWebhook({
        url: delivery.url,
        allowPrivateNetworks: this.#allowPrivateNetworks,
        ...(this.#resolve ? { resolve: this.#resolve } : {}),
        signal: AbortSignal.timeout(this.#timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'tollgate-webhook-id': delivery.eventId,
          'tollgate-webhook-delivery': delivery.id,
          ...signDelivery(secrets, { id: delivery.eventId, timestamp, body }),
        },
        body,
      });
      if (statusCode < 200 || statusCode > 299) error = `The receiver answered with HTTP ${statusCode}.`;
    } catch (caught) {
      error = describeFailure(caught, this.#timeoutMs);
    }
    const durationMs = Math.max(0, Math.round(performance.now() - started));
    const succeeded = error === null;
    const attempts = delivery.attemptCount + 1;
    const status = succeeded ? 'succeeded' : attempts >= this.#maxAttempts ? 'failed' : 'pending';
    await this.#complete(delivery, leaseUntil, {
      status,
      attempted: true,
      startedAt,
      statusCode,
      durationMs,
      error,
    });
    if (!succeeded) {
      this.#log.warn(
        {
          deliveryId: delivery.id,
          subscriptionId: delivery.subscriptionId,
          attempt: attempts,
          statusCode,
          error,
        },
        status === 'failed' ? 'webhook delivery failed for good' : 'webhook delivery failed; will retry',
      );
    }
    this.#onAttempt?.(status === 'pending' ? 'retrying' : status);
    return status === 'pending' ? 'retrying' : status;
  }

  async #complete(
    delivery: ClaimedWebhookDelivery,
    leaseUntil: Date,
    outcome: {
      status: 'pending' | 'succeeded' | 'failed';
      attempted: boolean;
      startedAt: Date;
      statusCode: number | null;
      durationMs: number;
      error: string | null;
    },
  ): Promise<void> {
    const now = this.#clock.now();
    const attemptCount = delivery.attemptCount + (outcome.attempted ? 1 : 0);
    const nextAttemptAt =
      outcome.status === 'pending'
        ? new Date(now.getTime() + retryDelayMs(attemptCount, this.#backoffBaseMs, this.#random()))
        : now;
    const applied = await this.#db.transaction().execute((tx: Executor) =>
      completeWebhookAttempt(tx, {
        deliveryId: delivery.id,
        leaseUntil,
        attempt: outcome.attempted
          ? {
              id: newId('attempt', now),
              deliveryId: delivery.id,
              attemptedAt: outcome.startedAt,
              statusCode: outcome.statusCode,
              durationMs: outcome.durationMs,
              error: outcome.error,
            }
          : null,
        status: outcome.status,
        attemptCount,
        nextAttemptAt,
        lastStatusCode: outcome.statusCode,
        now,
      }),
    );
    if (!applied) {
      this.#log.warn(
        { deliveryId: delivery.id },
        'webhook delivery lease ran out before its outcome was recorded',
      );
    }
  }
}

/** A sentence for the attempt's error column: what went wrong, without stack frames. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof PrivateDestinationError) return error.message;
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') {
      return `No answer within ${timeoutMs} ms.`;
    }
    const cause = (error as Error & { cause?: unknown }).cause;
    const detail = cause instanceof Error ? cause.message : error.message;
    return `Could not deliver: ${detail}`.slice(0, 500);
  }
  return 'Could not deliver.';
}
