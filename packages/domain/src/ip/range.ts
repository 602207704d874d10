import { z } from 'zod';
import { formatAddress, type ParsedAddress, parseAddress } from './address.ts';

/** A parsed allowlist entry: the network (host bits cleared) and its prefix length. */
export interface IpRange {
  family: 'ipv4' | 'ipv6';
  /** 32-bit words of the network address: one for IPv4, four for IPv6. */
  words: readonly number[];
  /** 32-bit masks matching `words`. */
  masks: readonly number[];
  prefixLength: number;
  /** Canonical text: a bare address for /32 and /128, otherwise `network/prefix`. */
  cidr: string;
}

export type ParseIpRangeResult = { ok: true; range: IpRange } | { ok: false; message: string };

const RANGE_HINT =
  'Expected an IPv4 or IPv6 address or CIDR range, e.g. 203.0.113.7, 10.0.0.0/8 or 2001:db8::/32';
const PREFIX_SYNTAX = /^(0|[1-9][0-9]{0,2})$/;

function maskWord(prefixLength: number, wordIndex: number): number {
  const bits = Math.min(32, Math.max(0, prefixLength - 32 * wordIndex));
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

function wordsOf(address: ParsedAddress): readonly number[] {
  return address.family === 'ipv4' ? [address.value] : address.words;
}

/**
 * Parses an allowlist entry: an IPv4 or IPv6 address (meaning /32 or /128) or a CIDR range of either.
 * IPv4-mapped IPv6 (`::ffff:1.2.3.4`, `::ffff:1.2.3.0/120`) is treated as IPv4, and a mapped range
 * shorter than /96 is refused because it would straddle both families. Host bits after the prefix are
 * ignored (`10.1.2.3/8` is `10.0.0.0/8`). Whitespace, zone ids and ambiguous IPv4 forms are refused.
 */
export function parseIpRange(input: string): ParseIpRangeResult {
  if (typeof input !== 'string' || input.length === 0 || input.length > 100) {
    return { ok: false, message: RANGE_HINT };
  }
  const slash = input.indexOf('/');
  const address = parseAddress(slash >= 0 ? input.slice(0, slash) : input);
  if (!address) return { ok: false, message: RANGE_HINT };

  const mappedFromIPv6 = address.family === 'ipv4' && input.includes(':');
  const maxPrefix = address.family === 'ipv4' ? 32 : 128;
  let prefixLength = maxPrefix;
  if (slash >= 0) {
    const prefixText = input.slice(slash + 1);
    const written = PREFIX_SYNTAX.test(prefixText) ? Number(prefixText) : Number.NaN;
    // A mapped address was written in IPv6 terms: its prefix counts the 96 bits of ::ffff:0:0 too.
    const writtenMax = mappedFromIPv6 ? 128 : maxPrefix;
    if (!(written <= writtenMax)) {
      return { ok: false, message: `The prefix length after "/" must be a number from 0 to ${writtenMax}` };
    }
    if (mappedFromIPv6 && written < 96) {
      return { ok: false, message: 'An IPv4-mapped range must have a prefix length of at least 96' };
    }
    prefixLength = mappedFromIPv6 ? written - 96 : written;
  }

  const masks = wordsOf(address).map((_, index) => maskWord(prefixLength, index));
  const words = wordsOf(address).map((word, index) => (word & masks[index]!) >>> 0);
  const network: ParsedAddress =
    address.family === 'ipv4' ? { family: 'ipv4', value: words[0]! } : { family: 'ipv6', words };
  const text = formatAddress(network);
  return {
    ok: true,
    range: {
      family: address.family,
      words,
      masks,
      prefixLength,
      cidr: prefixLength === maxPrefix ? text : `${text}/${prefixLength}`,
    },
  };
}

/** An allowlist entry (§3 ipAllowlist, §5 allowedIpRanges): IPv4/IPv6 address or CIDR range. */
export const ZIpRange = z.string().superRefine((value, ctx) => {
  const result = parseIpRange(value);
  if (!result.ok) ctx.addIssue({ code: 'custom', message: result.message });
});
