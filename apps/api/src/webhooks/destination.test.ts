import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { hasPrivateHost, isPublicAddress, PrivateDestinationError, publicOnlyLookup } from './destination.ts';

describe('isPublicAddress', () => {
  it.each<[address: string, isPublic: boolean]>([
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['2606:4700::1111', true],
    ['127.0.0.1', false],
    ['127.8.9.10', false],
    ['10.0.0.1', false],
    ['172.16.5.4', false],
    ['172.31.255.255', false],
    ['192.168.0.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd12:3456::1', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:8.8.8.8', true],
    ['64:ff9b::a00:1', false],
    ['2002:a00:1::', false],
    ['not an address', false],
  ])('%s → %s', (address, isPublic) => {
    expect(isPublicAddress(address)).toBe(isPublic);
  });
});

describe('hasPrivateHost', () => {
  it.each<[url: string, isPrivate: boolean]>([
    ['https://hooks.example.com/x', false],
    ['https://8.8.8.8/x', false],
    ['http://localhost/x', true],
    ['http://LOCALHOST./x', true],
    ['http://a.b.localhost:8080/x', true],
    ['http://127.1/x', true],
    ['http://0177.0.0.1/x', true],
    ['http://[::1]:8080/x', true],
    ['http://[::ffff:192.168.0.1]/x', true],
    ['http://localhost.example.com/x', false],
  ])('%s → %s', (url, isPrivate) => {
    expect(hasPrivateHost(new URL(url))).toBe(isPrivate);
  });
});

describe('publicOnlyLookup', () => {
  /** Runs the lookup as a socket would, in either of its two forms. */
  function lookUp(addresses: LookupAddress[], all: boolean) {
    const lookup = publicOnlyLookup(async () => addresses);
    return new Promise<{ error: Error | null; result: unknown }>((resolve) => {
      lookup('receiver.example', { all }, (error, address, family) =>
        resolve({ error, result: all ? address : { address, family } }),
      );
    });
  }

  it('hands every address over when all are public', async () => {
    const addresses = [
      { address: '8.8.8.8', family: 4 },
      { address: '2001:4860:4860::8888', family: 6 },
    ];
    await expect(lookUp(addresses, true)).resolves.toEqual({ error: null, result: addresses });
    await expect(lookUp(addresses, false)).resolves.toEqual({
      error: null,
      result: { address: '8.8.8.8', family: 4 },
    });
  });

  it.each<[label: string, addresses: LookupAddress[]]>([
    ['a private address', [{ address: '10.0.0.7', family: 4 }]],
    [
      'a public and a loopback address',
      [
        { address: '8.8.8.8', family: 4 },
        { address: '::1', family: 6 },
      ],
    ],
    ['no address', []],
  ])('refuses %s', async (_label, addresses) => {
    for (const all of [true, false]) {
      const { error } = await lookUp(addresses, all);
      expect(error).toBeInstanceOf(PrivateDestinationError);
    }
  });

  it('passes the resolver’s own failure on', async () => {
    const failure = Object.assign(new Error('getaddrinfo ENOTFOUND receiver.example'), { code: 'ENOTFOUND' });
    const lookup = publicOnlyLookup(async () => {
      throw failure;
    });
    const error = await new Promise((resolve) => lookup('receiver.example', {}, (e) => resolve(e)));
    expect(error).toBe(failure);
  });
});
