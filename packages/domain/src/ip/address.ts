import ipaddr from 'ipaddr.js';

/** An address reduced to 32-bit words: one for IPv4, four for IPv6. */
export type ParsedAddress = { family: 'ipv4'; value: number } | { family: 'ipv6'; words: readonly number[] };

/**
 * Strict dotted-quad IPv4 (`203.0.113.7`) to an unsigned 32-bit integer, or -1. Leading zeros, hex and
 * short forms (`010.1`, `0x7f.1`, `127.1`) are refused: parsers disagree on whether `010` is 8 or 10, and
 * an allowlist must never mean something other than what its author read.
 */
export function parseIPv4Strict(input: string, start = 0, end = input.length): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const code = input.charCodeAt(i);
    if (code === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
      continue;
    }
    if (code < 48 || code > 57) return -1;
    if (digits > 0 && octet === 0) return -1; // leading zero
    octet = octet * 10 + (code - 48);
    digits++;
    if (octet > 255) return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

function wordsOfIPv6(address: ipaddr.IPv6): number[] {
  const parts = address.parts;
  return [0, 2, 4, 6].map((i) => ((parts[i]! << 16) | parts[i + 1]!) >>> 0);
}

/** IPv6 with ipaddr.js, but an embedded IPv4 tail must be a strict dotted quad as well. */
function parseIPv6Strict(input: string): ipaddr.IPv6 | null {
  const lastColon = input.lastIndexOf(':');
  if (lastColon < 0) return null;
  if (input.includes('.', lastColon) && parseIPv4Strict(input, lastColon + 1) < 0) return null;
  try {
    return ipaddr.IPv6.parse(input);
  } catch {
    return null;
  }
}

/**
 * Parses one address. IPv4-mapped IPv6 (`::ffff:203.0.113.7`, as dual-stack sockets report IPv4 clients)
 * becomes IPv4, so it meets IPv4 ranges. A zone id (`fe80::1%eth0`) is refused unless `allowZone`.
 */
export function parseAddress(input: string, allowZone = false): ParsedAddress | null {
  const v4 = parseIPv4Strict(input);
  if (v4 >= 0) return { family: 'ipv4', value: v4 };
  const zoneStart = input.indexOf('%');
  if (zoneStart >= 0 && !allowZone) return null;
  const v6 = parseIPv6Strict(zoneStart >= 0 ? input.slice(0, zoneStart) : input);
  if (!v6) return null;
  const words = wordsOfIPv6(v6);
  if (v6.isIPv4MappedAddress()) return { family: 'ipv4', value: words[3]! };
  return { family: 'ipv6', words };
}

/** Canonical text of an address: dotted quad, or RFC 5952 IPv6. */
export function formatAddress(address: ParsedAddress): string {
  if (address.family === 'ipv4') {
    const v = address.value;
    return `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
  }
  const parts = address.words.flatMap((word) => [word >>> 16, word & 0xffff]);
  return new ipaddr.IPv6(parts).toRFC5952String();
}

/**
 * The canonical form of a client address, for storing and showing (`lastUsedIp`): IPv4-mapped IPv6
 * becomes IPv4, IPv6 is compressed and lowercased, a zone id is dropped. Null when it is not an address.
 */
export function normalizeIpAddress(input: string): string | null {
  const address = parseAddress(input, true);
  return address ? formatAddress(address) : null;
}
