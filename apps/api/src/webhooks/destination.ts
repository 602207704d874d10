import { promises as dnsPromises, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Why a delivery was not sent: its host is, or resolves to, an address outside the public internet while the
 * server delivers to public addresses only. No address is named: the subscriber must not learn what names
 * inside the server's network resolve to.
 */
export const PRIVATE_DESTINATION_MESSAGE =
  'The URL points to a private, loopback or link-local address, and this server delivers webhooks to ' +
  'public addresses only (WEBHOOK_ALLOW_PRIVATE_NETWORKS).';

export class PrivateDestinationError extends Error {
  override readonly name = 'PrivateDestinationError';
  constructor() {
    super(PRIVATE_DESTINATION_MESSAGE);
  }
}

/**
 * Whether an address is on the public internet. Anything ipaddr.js does not class as plain `unicast` is not:
 * loopback, private, link-local (the cloud metadata address 169.254.169.254 among them), unique-local,
 * carrier-grade NAT, multicast, reserved, unspecified, and the IPv6 ranges that embed IPv4 addresses (NAT64,
 * 6to4, Teredo). An IPv4-mapped IPv6 address is judged as its IPv4 address.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed instanceof ipaddr.IPv6 && parsed.isIPv4MappedAddress()) parsed = parsed.toIPv4Address();
  return parsed.range() === 'unicast';
}

/**
 * Whether a URL's host is known not to be public without asking DNS: an IP literal outside the public
 * internet, or a `localhost` name (RFC 6761). The WHATWG parser has already normalised `0x7f.1` and
 * `2130706433` to `127.0.0.1`. Other names are judged when a delivery resolves them.
 */
export function hasPrivateHost(url: URL): boolean {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  return ipaddr.isValid(host) && !isPublicAddress(host);
}

/** Resolves a host name to all its addresses (dns.lookup with `all: true`, as the system resolver answers). */
export type ResolveHost = (hostname: string, family: number | undefined) => Promise<LookupAddress[]>;

const systemResolver: ResolveHost = (hostname, family) =>
  dnsPromises.lookup(hostname, { all: true, ...(family ? { family } : {}) });

/**
 * A `lookup` for the connection itself that refuses a name resolving to any non-public address. Checking the
 * very addresses the socket connects to, rather than resolving once beforehand, leaves no window for a name
 * to resolve to a public address for the check and to a private one for the connection (DNS rebinding).
 */
export function publicOnlyLookup(resolve: ResolveHost = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    const family = typeof options.family === 'number' && options.family !== 0 ? options.family : undefined;
    resolve(hostname, family).then(
      (addresses) => {
        const first = addresses[0];
        if (first === undefined || addresses.some((entry) => !isPublicAddress(entry.address))) {
          callback(new PrivateDestinationError() as NodeJS.ErrnoException, '', 4);
        } else if (options.all) {
          (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, addresses);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
}

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
  /** Deliver to private, loopback and link-local addresses too (WEBHOOK_ALLOW_PRIVATE_NETWORKS). */
  allowPrivateNetworks: boolean;
  /** How host names are resolved when only public addresses are allowed; the system resolver by default. */
  resolve?: ResolveHost;
}

/**
 * POSTs a delivery and resolves to the receiver's status once its headers arrive (the body is not read).
 * Redirects are not followed: a 3xx is the receiver's answer. Rejects with PrivateDestinationError when the
 * host is not public and the server does not deliver there.
 */
export function postWebhook(post: WebhookPost): Promise<number> {
  const url = new URL(post.url);
  if (!post.allowPrivateNetworks && hasPrivateHost(url)) return Promise.reject(new PrivateDestinationError());
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
        signal: post.signal,
        ...(post.allowPrivateNetworks ? {} : { lookup: publicOnlyLookup(post.resolve) }),
      },
      (response) => {
        // Drained, not read, so that the connection can be reused; a receiver that then stalls is cut off by
        // the signal, which is not this delivery's failure any more.
        response.on('error', () => {});
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(post.body);
  });
}
