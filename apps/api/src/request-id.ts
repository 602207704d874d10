import type { IncomingMessage } from 'node:http';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { newId } from '@tollgate/domain';
import type { Env } from './env.ts';

/** The response header of §7 that names a request, on every response of every surface. */
export const REQUEST_ID_HEADER = 'request-id';

/** What a proxy's id may look like to be kept: ≤ 64 characters that are safe in a header, a log and JSON. */
const SAFE_REQUEST_ID = /^[0-9A-Za-z._:@+=/-]{1,64}$/;

/** proxy-addr's (and so Fastify's) names for address ranges in TRUST_PROXY. */
const NAMED_RANGES: Record<string, [string, number, 'ipv4' | 'ipv6'][]> = {
  loopback: [
    ['127.0.0.0', 8, 'ipv4'],
    ['::1', 128, 'ipv6'],
  ],
  linklocal: [
    ['169.254.0.0', 16, 'ipv4'],
    ['fe80::', 10, 'ipv6'],
  ],
  uniquelocal: [
    ['10.0.0.0', 8, 'ipv4'],
    ['172.16.0.0', 12, 'ipv4'],
    ['192.168.0.0', 16, 'ipv4'],
    ['fc00::', 7, 'ipv6'],
  ],
};

function familyOf(address: string): 'ipv4' | 'ipv6' | null {
  if (isIPv4(address)) return 'ipv4';
  if (isIPv6(address)) return 'ipv6';
  return null;
}

/** The peer address without the IPv4-mapped IPv6 prefix a dual-stack socket gives IPv4 peers. */
function peerAddress(request: IncomingMessage): string | undefined {
  const address = request.socket.remoteAddress;
  return address?.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}

/**
 * Whether the immediate peer is a proxy TRUST_PROXY trusts, the same reading as Fastify's: `true` trusts any,
 * a hop count trusts the first hop when it is at least 1, a list trusts the addresses and ranges it names.
 */
export function compileTrustedPeer(setting: Env['TRUST_PROXY']): (request: IncomingMessage) => boolean {
  if (setting === false) return () => false;
  if (setting === true) return () => true;
  if (typeof setting === 'number') return () => setting >= 1;
  const trusted = new BlockList();
  for (const entry of setting) {
    const named = NAMED_RANGES[entry];
    if (named) {
      for (const [network, prefix, family] of named) trusted.addSubnet(network, prefix, family);
      continue;
    }
    const [address = '', prefix] = entry.split('/');
    const family = familyOf(address);
    if (family === null) continue;
    if (prefix === undefined) trusted.addAddress(address, family);
    else trusted.addSubnet(address, Number(prefix), family);
  }
  return (request) => {
    const address = peerAddress(request);
    const family = address === undefined ? null : familyOf(address);
    return family !== null && trusted.check(address as string, family);
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Fastify's `genReqId`: a new `req_…` id, or the `Request-Id` / `X-Request-Id` a trusted proxy sent, when it is
 * safe to echo (≤ 64 characters of {@link SAFE_REQUEST_ID}). A client that is not a trusted proxy cannot choose
 * the id that its requests are logged and audited under.
 */
export function requestIdGenerator(trustProxy: Env['TRUST_PROXY']): (request: IncomingMessage) => string {
  const isTrustedPeer = compileTrustedPeer(trustProxy);
  return (request) => {
    if (isTrustedPeer(request)) {
      const incoming = header(request.headers['request-id']) ?? header(request.headers['x-request-id']);
      if (incoming !== undefined && SAFE_REQUEST_ID.test(incoming)) return incoming;
    }
    return newId('request');
  };
}
