/**
 * What a reference target answers, written by the benchmark before it starts one: Tollgate's response to
 * GET /api/v1/tokens/self (headers and body, replayed byte for byte) and the seeded tokens by hash.
 */
import { readFileSync } from 'node:fs';

export interface ReferenceSpec {
  /** Tollgate's response headers, without the per-connection ones (date, connection, keep-alive). */
  headers: Record<string, string>;
  body: string;
  /** The seeded tokens, by SHA-256 hex of the token (no plaintext): what the minimal server looks up. */
  tokens: { hash: string; tokenId: string; organizationId: string }[];
  /** Redis URL and key prefix for the minimal server counting in Redis. */
  redis?: { url: string; keyPrefix: string };
}

/** The spec at the path of the first argument. */
export function readSpec(): ReferenceSpec {
  const path = process.argv[2];
  if (!path) throw new Error('usage: <target> <spec.json>');
  return JSON.parse(readFileSync(path, 'utf8')) as ReferenceSpec;
}

/** The line the benchmark waits for. */
export function announce(url: string): void {
  console.log(`BENCH_LISTENING ${url}`);
}

/** The rate-limit headers are computed per request by the minimal server; the rest are replayed. */
export const COMPUTED_HEADERS = [
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'ratelimit',
  'content-length',
];
