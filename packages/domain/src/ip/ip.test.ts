import { describe, expect, it } from 'vitest';
import { normalizeIpAddress, parseIPv4Strict } from './address.ts';
import { compileIpAllowlist, isIpAllowed } from './allowlist.ts';
import { parseIpRange, ZIpRange } from './range.ts';

describe('parseIpRange', () => {
  it.each([
    ['203.0.113.7', 'ipv4', 32, '203.0.113.7'],
    ['10.0.0.0/8', 'ipv4', 8, '10.0.0.0/8'],
    ['10.1.2.3/8', 'ipv4', 8, '10.0.0.0/8'],
    ['0.0.0.0/0', 'ipv4', 0, '0.0.0.0/0'],
    ['192.168.1.1/32', 'ipv4', 32, '192.168.1.1'],
    ['::1', 'ipv6', 128, '::1'],
    ['2001:DB8::/32', 'ipv6', 32, '2001:db8::/32'],
    ['2001:db8:0:0:0:0:0:1', 'ipv6', 128, '2001:db8::1'],
    ['::/0', 'ipv6', 0, '::/0'],
    ['2001:db8::ffff/127', 'ipv6', 127, '2001:db8::fffe/127'],
    ['::ffff:1.2.3.4', 'ipv4', 32, '1.2.3.4'],
    ['::ffff:102:304', 'ipv4', 32, '1.2.3.4'],
    ['::ffff:1.2.3.0/120', 'ipv4', 24, '1.2.3.0/24'],
    ['::ffff:0.0.0.0/96', 'ipv4', 0, '0.0.0.0/0'],
  ])('%s → %s /%d, canonical %s', (input, family, prefixLength, cidr) => {
    const result = parseIpRange(input);
    expect(result).toMatchObject({ ok: true, range: { family, prefixLength, cidr } });
  });

  it.each([
    '',
    'localhost',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '010.0.0.1',
    '0x7f.0.0.1',
    '127.1',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1.2.3.4/33',
    '1.2.3.4/',
    '1.2.3.4/-1',
    '1.2.3.4/024',
    '1.2.3.4/8/8',
    '2001:db8::/129',
    '2001:db8:::1',
    'fe80::1%eth0',
    '[::1]',
    '::ffff:010.0.0.1',
    '::ffff:1.2.3.4/95',
    '1.2.3.4-1.2.3.9',
  ])('refuses %j with a message', (input) => {
    const result = parseIpRange(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message.length).toBeGreaterThan(10);
  });

  it('names the allowed prefix lengths when the prefix is wrong', () => {
    expect(parseIpRange('10.0.0.0/40')).toEqual({
      ok: false,
      message: 'The prefix length after "/" must be a number from 0 to 32',
    });
  });
});

describe('ZIpRange', () => {
  it('accepts ranges and explains refusals', () => {
    expect(ZIpRange.parse('10.0.0.0/8')).toBe('10.0.0.0/8');
    const result = ZIpRange.safeParse('10.0.0');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/IPv4 or IPv6 address or CIDR range/);
  });
});

describe('isIpAllowed', () => {
  it.each<[string, string, string[], boolean]>([
    ['empty list allows anyone', '198.51.100.1', [], true],
    ['empty list allows even garbage', 'nonsense', [], true],
    ['exact IPv4', '203.0.113.7', ['203.0.113.7'], true],
    ['neighbour of exact IPv4', '203.0.113.8', ['203.0.113.7'], false],
    ['first address of a /24', '192.168.1.0', ['192.168.1.0/24'], true],
    ['last address of a /24', '192.168.1.255', ['192.168.1.0/24'], true],
    ['just below a /24', '192.168.0.255', ['192.168.1.0/24'], false],
    ['just above a /24', '192.168.2.0', ['192.168.1.0/24'], false],
    ['/0 allows every IPv4', '8.8.8.8', ['0.0.0.0/0'], true],
    ['/31 upper', '10.0.0.1', ['10.0.0.0/31'], true],
    ['/31 outside', '10.0.0.2', ['10.0.0.0/31'], false],
    ['high bit set (unsigned arithmetic)', '255.255.255.254', ['255.255.255.0/24'], true],
    ['second of several ranges', '172.16.5.4', ['10.0.0.0/8', '172.16.0.0/12'], true],
    ['none of several ranges', '172.32.0.1', ['10.0.0.0/8', '172.16.0.0/12'], false],
    ['IPv6 in /32', '2001:db8:1234::1', ['2001:db8::/32'], true],
    ['IPv6 outside /32', '2001:db9::1', ['2001:db8::/32'], false],
    ['IPv6 /64 edge', '2001:db8:0:1:ffff:ffff:ffff:ffff', ['2001:db8:0:1::/64'], true],
    ['IPv6 /64 just outside', '2001:db8:0:2::', ['2001:db8:0:1::/64'], false],
    ['IPv6 loopback', '::1', ['::1'], true],
    ['IPv6 written differently', '2001:0DB8:0000::0001', ['2001:db8::1'], true],
    ['IPv6 /127 second address', '2001:db8::ffff', ['2001:db8::fffe/127'], true],
    ['IPv6 link-local with zone', 'fe80::1%eth0', ['fe80::/10'], true],
    ['IPv4-mapped client against IPv4 range', '::ffff:10.1.2.3', ['10.0.0.0/8'], true],
    ['IPv4 client against IPv4-mapped range', '10.1.2.3', ['::ffff:10.0.0.0/104'], true],
    ['IPv4 client is not in an IPv6 /0', '10.1.2.3', ['::/0'], false],
    ['IPv6 client is not in an IPv4 /0', '2001:db8::1', ['0.0.0.0/0'], false],
    ['garbage client with a list', 'not-an-ip', ['0.0.0.0/0', '::/0'], false],
    ['empty client with a list', '', ['0.0.0.0/0'], false],
    ['octal-looking client refused', '010.0.0.1', ['10.0.0.0/8', '8.0.0.0/8'], false],
    ['invalid stored entry matches nothing', '10.0.0.1', ['10.0.0.0/99'], false],
    ['invalid entry does not stop valid ones', '10.0.0.1', ['bogus', '10.0.0.0/8'], true],
  ])('%s', (_label, ip, ranges, expected) => {
    expect(isIpAllowed(ip, ranges)).toBe(expected);
    expect(compileIpAllowlist(ranges)(ip)).toBe(expected);
  });

  it('a compiled matcher is reusable', () => {
    const allowed = compileIpAllowlist(['10.0.0.0/8', '2001:db8::/32']);
    expect(['10.9.9.9', '2001:db8::5', '11.0.0.0', '2001:db7::'].map(allowed)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('parseIPv4Strict', () => {
  it.each([
    ['0.0.0.0', 0],
    ['255.255.255.255', 0xffffffff],
    ['1.2.3.4', 0x01020304],
    ['1.2.3.04', -1],
    ['1..3.4', -1],
    ['1.2.3.4.', -1],
    ['.1.2.3', -1],
    ['1.2.3.256', -1],
  ])('%s → %d', (input, expected) => {
    expect(parseIPv4Strict(input)).toBe(expected);
  });
});

describe('normalizeIpAddress', () => {
  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['2001:0DB8::0001', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['203.0.113.7', '203.0.113.7'],
    ['garbage', null],
  ])('%s → %s', (input, expected) => {
    expect(normalizeIpAddress(input)).toBe(expected);
  });
});
