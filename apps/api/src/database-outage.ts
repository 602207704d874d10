import { isDatabaseUnavailableError } from '@tollgate/db';
import type { Logger } from 'pino';

/**
 * How a background job (the webhook worker, the usage flusher, the expiry job) reports a database outage:
 * one line when its first attempt fails because the database cannot be reached, one when an attempt
 * succeeds again — not a line per tick. Other failures are the job's own to log.
 */
export class DatabaseOutageLog {
  readonly #log: Logger;
  readonly #job: string;
  /** When the current outage was first seen (epoch ms), null while the database answers. */
  #sinceMs: number | null = null;
  #failedAttempts = 0;

  constructor(log: Logger, job: string) {
    this.#log = log;
    this.#job = job;
  }

  /** Whether the job currently sees the database as unavailable. */
  get unavailable(): boolean {
    return this.#sinceMs !== null;
  }

  /**
   * Reports a failed attempt. True when it failed because the database is unavailable (logged once per
   * outage); false for any other error, which the caller logs itself.
   */
  failed(error: unknown): boolean {
    if (!isDatabaseUnavailableError(error)) return false;
    this.#failedAttempts++;
    if (this.#sinceMs === null) {
      this.#sinceMs = Date.now();
      this.#log.warn(
        { err: error, job: this.#job },
        `${this.#job}: database unavailable; retrying until it is back`,
      );
    }
    return true;
  }

  /** Reports a successful attempt: the end of an outage, if there was one. */
  succeeded(): void {
    if (this.#sinceMs === null) return;
    this.#log.info(
      { job: this.#job, outageMs: Date.now() - this.#sinceMs, failedAttempts: this.#failedAttempts },
      `${this.#job}: database available again; resumed`,
    );
    this.#sinceMs = null;
    this.#failedAttempts = 0;
  }
}
