import { type Database, findOrganizationById, type OrganizationRow } from '@tollgate/db';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Invalidation, InvalidationEvent } from '../invalidation.ts';

export interface OrganizationCacheOptions {
  db: Kysely<Database>;
  clock: Clock;
  invalidation: Pick<Invalidation, 'subscribe'>;
  /** How long a row is reused at most (default 60 s, as the token cache): invalidations keep it correct. */
  ttlMs?: number;
  /** Rows kept at most (default 10,000); the oldest go first. */
  maxEntries?: number;
}

interface Entry {
  row: OrganizationRow;
  storedAtMs: number;
}

/**
 * Organisations by id, read once and reused until an invalidation says they changed (issue 17, item 4): every
 * change of an organisation's fields (name, policy, and so tier-derived limits) already publishes
 * `{ kind: 'organization' }` after its commit, for the token cache, and reaches every process through
 * LISTEN/NOTIFY; a lost LISTEN connection gives `{ kind: 'all' }`. So `GET /organization` and the session
 * path's rate-limit tier cost no query on a warm cache, with the same freshness as a token's own record.
 */
export class OrganizationCache {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry>();
  /** Bumped by every invalidation: a read that began before one does not store what it read. */
  #generation = 0;
  readonly #unsubscribe: () => void;

  constructor(options: OrganizationCacheOptions) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#unsubscribe = options.invalidation.subscribe((event) => this.invalidate(event));
  }

  /** The organisation's row, from the cache or one query; undefined when there is no such organisation. */
  async get(organizationId: string): Promise<OrganizationRow | undefined> {
    const nowMs = this.#clock.now().getTime();
    const entry = this.#entries.get(organizationId);
    if (entry !== undefined && nowMs - entry.storedAtMs < this.#ttlMs) return entry.row;
    const generation = this.#generation;
    const row = await findOrganizationById(this.#db, organizationId);
    if (row !== undefined && generation === this.#generation) {
      this.#entries.delete(organizationId);
      if (this.#entries.size >= this.#maxEntries) {
        const oldest = this.#entries.keys().next().value;
        if (oldest !== undefined) this.#entries.delete(oldest);
      }
      this.#entries.set(organizationId, { row, storedAtMs: this.#clock.now().getTime() });
    }
    return row;
  }

  invalidate(event: InvalidationEvent): void {
    this.#generation++;
    if (event.kind === 'all') this.#entries.clear();
    else if (event.kind === 'organization') this.#entries.delete(event.organizationId);
  }

  /** Stops listening to invalidations and forgets everything. */
  close(): void {
    this.#unsubscribe();
    this.#entries.clear();
  }
}
