import { normalizeIpAddress, type TTokenLastUsedAddress } from '@tollgate/domain';

/** How many distinct addresses lastUsedIps shows (§3); the database keeps as many (LAST_USED_IPS_KEPT). */
const SHOWN = 5;

/** The instant last formatted, and its text: requests answered in the same millisecond share one. */
let lastFormatted = { ms: Number.NaN, iso: '' };

/** `at.toISOString()`, remembered for the last millisecond asked (~0.4 µs saved per request under load). */
export function isoStringOf(at: Date): string {
  const ms = at.getTime();
  if (ms !== lastFormatted.ms) lastFormatted = { ms, iso: at.toISOString() };
  return lastFormatted.iso;
}

/** Client addresses in their canonical text, as last seen; bounded, since any client picks its address. */
const canonicalAddresses = new Map<string, string>();
const CANONICAL_ADDRESSES_KEPT = 10_000;

/** normalizeIpAddress (the domain's canonical form), remembered: the same few clients call again and again. */
function canonicalAddress(ip: string): string {
  let canonical = canonicalAddresses.get(ip);
  if (canonical === undefined) {
    canonical = normalizeIpAddress(ip) ?? ip;
    if (canonicalAddresses.size >= CANONICAL_ADDRESSES_KEPT) canonicalAddresses.clear();
    canonicalAddresses.set(ip, canonical);
  }
  return canonical;
}

/**
 * lastUsedIps with a use the database has not seen yet (the request being answered, e.g. `tokens.self`) in
 * front: its address moves to the top with this time and user agent, and the list keeps 5 distinct addresses.
 */
export function withLatestAddress(
  stored: readonly TTokenLastUsedAddress[],
  use: { at: Date; ip: string; userAgent?: string | null },
): TTokenLastUsedAddress[] {
  const ip = canonicalAddress(use.ip);
  const latest = { ip, lastUsedAt: isoStringOf(use.at), userAgent: use.userAgent ?? null };
  const shown = [latest];
  for (const entry of stored) {
    if (shown.length === SHOWN) break;
    if (entry.ip !== ip) shown.push(entry);
  }
  return shown;
}
