import {
  type Executor,
  LAST_USED_IPS_KEPT,
  recordTokenUsage,
  type TokenAddressUse,
  type TokenUsageEntry,
} from '@tollgate/db';
import { normalizeIpAddress } from '@tollgate/domain';
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import { DatabaseOutageLog } from '../database-outage.ts';

export interface UsageBufferOptions {
  db: Executor;
  log: Logger;
  clock: Clock;
  /** How often start() flushes. */
  flushIntervalMs: number;
  /**
   * Most tokens whose usage is kept unwritten (default 100,000: some tens of megabytes). Reached only when
   * flushes keep failing; then the requests of tokens not yet in the buffer go uncounted (droppedRequests).
   */
  maxTokens?: number;
}

interface TokenUsage {
  organizationId: string;
  /** Requests per UTC day ('YYYY-MM-DD'). */
  days: Map<string, number>;
  lastUsedAtMs: number;
  lastUsedIp: string;
  /** The distinct client addresses of the batch (at most LAST_USED_IPS_KEPT, the latest), for lastUsedIps. */
  addresses: Map<string, AddressUse>;
}

interface AddressUse {
  atMs: number;
  userAgent: string | null;
}

/** Notes a use of `ip` in a token's addresses, keeping the newest LAST_USED_IPS_KEPT distinct ones. */
function noteAddress(addresses: Map<string, AddressUse>, ip: string, atMs: number, userAgent: string | null) {
  const known = addresses.get(ip);
  if (known !== undefined) {
    if (atMs >= known.atMs) {
      known.atMs = atMs;
      known.userAgent = userAgent;
    }
    return;
  }
  addresses.set(ip, { atMs, userAgent });
  if (addresses.size <= LAST_USED_IPS_KEPT) return;
  let oldest: string | undefined;
  let oldestMs = Number.POSITIVE_INFINITY;
  for (const [address, use] of addresses) {
    if (use.atMs < oldestMs) {
      oldest = address;
      oldestMs = use.atMs;
    }
  }
  if (oldest !== undefined) addresses.delete(oldest);
}

const DAY_MS = 86_400_000;
const DEFAULT_MAX_TOKENS = 100_000;

/**
 * Request counts and last use per token, kept in memory and written in batches (§3: no database write on
 * the request path). A flush writes any number of tokens in one statement; a failed flush (the database
 * away) keeps its batch and merges it into the next one, so usage is late rather than lost. Memory stays
 * bounded: past maxTokens distinct tokens, requests of further tokens are dropped, counted and logged once.
 */
export class UsageBuffer {
  readonly #db: Executor;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #flushIntervalMs: number;
  readonly #maxTokens: number;
  readonly #outage: DatabaseOutageLog;
  #pending = new Map<string, TokenUsage>();
  /** The batch a flush is writing (its tokens still count against maxTokens), null between flushes. */
  #writing: Map<string, TokenUsage> | null = null;
  /** Tokens of #pending that are not in #writing: with #writing's size, the distinct tokens held. */
  #pendingOnly = 0;
  /** Requests not counted because the buffer was full, since start; see {@link droppedRequests}. */
  #droppedRequests = 0;
  /** Requests dropped since the last successful flush (the first one of them is logged). */
  #droppedSinceFlush = 0;
  /** When a batch was last written (epoch ms, real clock), for the flush-lag metric; null before the first. */
  lastFlushAtMs: number | null = null;
  #timer: NodeJS.Timeout | undefined;
  /** The flush under way, so flushes never overlap (and stop() waits for it). */
  #flushing: Promise<void> = Promise.resolve();
  /** The UTC day of the last recorded request, so most records skip formatting a date. */
  #dayStartMs = 0;
  #day = '';

  constructor(options: UsageBufferOptions) {
    this.#db = options.db;
    this.#log = options.log;
    this.#clock = options.clock;
    this.#flushIntervalMs = options.flushIntervalMs;
    this.#maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
    this.#outage = new DatabaseOutageLog(options.log, 'usage flush');
  }

  /** Number of distinct tokens with usage not yet written (buffered, or in a flush under way). */
  get pendingTokens(): number {
    return (this.#writing?.size ?? 0) + this.#pendingOnly;
  }

  /** Requests that went uncounted because the buffer was full while flushes failed, since start. */
  get droppedRequests(): number {
    return this.#droppedRequests;
  }

  /** Counts one request made with a token. In memory only; cheap enough for every request. */
  record(
    tokenId: string,
    organizationId: string,
    ip: string,
    at: Date = this.#clock.now(),
    userAgent: string | null = null,
  ): void {
    const atMs = at.getTime();
    const day = this.#dayOf(atMs);
    const usage = this.#pending.get(tokenId);
    if (usage === undefined) {
      const alsoWriting = this.#writing?.has(tokenId) === true;
      if (!alsoWriting) {
        if (this.pendingTokens >= this.#maxTokens) {
          this.#drop();
          return;
        }
        this.#pendingOnly++;
      }
      this.#pending.set(tokenId, {
        organizationId,
        days: new Map([[day, 1]]),
        lastUsedAtMs: atMs,
        lastUsedIp: ip,
        addresses: new Map([[ip, { atMs, userAgent }]]),
      });
      return;
    }
    usage.days.set(day, (usage.days.get(day) ?? 0) + 1);
    if (atMs >= usage.lastUsedAtMs) {
      usage.lastUsedAtMs = atMs;
      usage.lastUsedIp = ip;
    }
    noteAddress(usage.addresses, ip, atMs, userAgent);
  }

  /** Writes everything buffered so far. Never throws: a failure is logged and the counts are kept. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#write());
    return this.#flushing;
  }

  /** Flushes every flushIntervalMs, without keeping the process alive for it. */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.flush(), this.#flushIntervalMs);
    this.#timer.unref();
  }

  /** Stops the interval and writes what is left (logged when it cannot: the database is away). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
    if (this.#pending.size > 0) {
      this.#log.warn({ tokens: this.#pending.size }, 'token usage could not be written before stopping');
    }
  }

  async #write(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#writing = batch;
    this.#pending = new Map();
    this.#pendingOnly = 0;
    try {
      await recordTokenUsage(this.#db, toEntries(batch), toAddresses(batch));
      this.lastFlushAtMs = Date.now();
      this.#writing = null;
      this.#pendingOnly = this.#pending.size;
      this.#outage.succeeded();
      if (this.#droppedSinceFlush > 0) {
        this.#log.warn(
          { droppedRequests: this.#droppedSinceFlush },
          'token usage written again; requests dropped while the buffer was full are not counted',
        );
        this.#droppedSinceFlush = 0;
      }
    } catch (error) {
      this.#writing = null;
      this.#restore(batch);
      this.#pendingOnly = this.#pending.size;
      if (!this.#outage.failed(error)) {
        this.#log.warn(
          { err: error, tokens: batch.size },
          'could not write token usage; keeping it for the next flush',
        );
      }
    }
  }

  #drop(): void {
    this.#droppedRequests++;
    if (this.#droppedSinceFlush++ === 0) {
      this.#log.warn(
        { maxTokens: this.#maxTokens },
        'token usage buffer full while flushes fail: requests of further tokens are not counted until one succeeds',
      );
    }
  }

  /** Puts a batch that could not be written back in front of what was recorded meanwhile. */
  #restore(batch: Map<string, TokenUsage>): void {
    for (const [tokenId, later] of this.#pending) {
      const earlier = batch.get(tokenId);
      if (earlier === undefined) {
        batch.set(tokenId, later);
        continue;
      }
      for (const [day, count] of later.days) earlier.days.set(day, (earlier.days.get(day) ?? 0) + count);
      if (later.lastUsedAtMs >= earlier.lastUsedAtMs) {
        earlier.lastUsedAtMs = later.lastUsedAtMs;
        earlier.lastUsedIp = later.lastUsedIp;
      }
      for (const [ip, use] of later.addresses) noteAddress(earlier.addresses, ip, use.atMs, use.userAgent);
    }
    this.#pending = batch;
  }

  #dayOf(atMs: number): string {
    if (atMs < this.#dayStartMs || atMs >= this.#dayStartMs + DAY_MS) {
      this.#dayStartMs = atMs - (((atMs % DAY_MS) + DAY_MS) % DAY_MS);
      this.#day = new Date(this.#dayStartMs).toISOString().slice(0, 10);
    }
    return this.#day;
  }
}

/** The batch's client addresses in canonical form; two spellings of one address count as one, the later use. */
function toAddresses(batch: Map<string, TokenUsage>): TokenAddressUse[] {
  const uses: TokenAddressUse[] = [];
  for (const [tokenId, usage] of batch) {
    const canonical = new Map<string, AddressUse>();
    for (const [ip, use] of usage.addresses) {
      noteAddress(canonical, normalizeIpAddress(ip) ?? ip, use.atMs, use.userAgent);
    }
    for (const [ip, use] of canonical) {
      uses.push({ tokenId, ip, lastUsedAt: new Date(use.atMs), userAgent: use.userAgent });
    }
  }
  return uses;
}

function toEntries(batch: Map<string, TokenUsage>): TokenUsageEntry[] {
  const entries: TokenUsageEntry[] = [];
  for (const [tokenId, usage] of batch) {
    const lastUsedAt = new Date(usage.lastUsedAtMs);
    // Stored in canonical form (IPv4-mapped IPv6 as IPv4, compressed IPv6), as lists show it.
    const lastUsedIp = normalizeIpAddress(usage.lastUsedIp) ?? usage.lastUsedIp;
    for (const [day, count] of usage.days) {
      entries.push({ tokenId, organizationId: usage.organizationId, day, count, lastUsedAt, lastUsedIp });
    }
  }
  return entries;
}
