import { parseAddress } from './address.ts';
import { type IpRange, parseIpRange } from './range.ts';

export type IpMatcher = (ip: string) => boolean;

const ALLOW_ANY: IpMatcher = () => true;

function rangeContains(range: IpRange, words: readonly number[]): boolean {
  for (let i = 0; i < range.words.length; i++) {
    if ((words[i]! & range.masks[i]!) >>> 0 !== range.words[i]) return false;
  }
  return true;
}

/**
 * Compiles an allowlist once into a matcher for the request path. An empty list allows any address (§3).
 * An entry that does not parse matches nothing: stored data that somehow went bad must narrow access,
 * never widen it to "any". An unparseable client address is refused by a non-empty list.
 */
export function compileIpAllowlist(ranges: readonly string[]): IpMatcher {
  if (ranges.length === 0) return ALLOW_ANY;
  const v4: IpRange[] = [];
  const v6: IpRange[] = [];
  for (const entry of ranges) {
    const parsed = parseIpRange(entry);
    if (parsed.ok) (parsed.range.family === 'ipv4' ? v4 : v6).push(parsed.range);
  }
  return (ip) => {
    // Sockets may report a zone id for link-local clients; it does not change which address it is.
    const address = parseAddress(ip, true);
    if (!address) return false;
    if (address.family === 'ipv4') {
      const value = address.value;
      return v4.some((range) => (value & range.masks[0]!) >>> 0 === range.words[0]);
    }
    return v6.some((range) => rangeContains(range, address.words));
  };
}

/**
 * Whether `ip` is within `ranges` (empty = any). Compiles the list on each call; on the request path keep
 * a matcher from `compileIpAllowlist` with the cached token instead.
 */
export function isIpAllowed(ip: string, ranges: readonly string[]): boolean {
  return compileIpAllowlist(ranges)(ip);
}
