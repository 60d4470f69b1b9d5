import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress } from './clientAddress.js';

function request(peer: string, forwardedFor?: string | string[]): IncomingMessage {
  return {
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  } as unknown as IncomingMessage;
}

describe('addressKey', () => {
  it.each([
    ['198.51.100.7', 64, '198.51.100.7'],
    ['::ffff:198.51.100.7', 64, '198.51.100.7'],
    ['::ffff:c633:6407', 64, '198.51.100.7'],
    ['2001:db8:1:2:3:4:5:6', 64, '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:ffff:ffff:ffff', 64, '2001:db8:1:2::/64'],
    ['[2001:db8:1:2::9]', 64, '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 64, 'fe80::/64'],
    ['2001:db8:1:2:3:4:5:6', 48, '2001:db8:1::/48'],
    ['2001:db8:1:2:3:4:5:6', 56, '2001:db8:1::/56'],
    ['2001:db8:1:2ff:3:4:5:6', 56, '2001:db8:1:200::/56'],
    ['2001:db8:1:2:3:4:5:6', 128, '2001:db8:1:2:3:4:5:6/128'],
    ['::1', 64, '::/64'],
    ['unknown', 64, 'unknown'],
  ])('%s /%i → %s', (address, bits, key) => {
    expect(addressKey(address, bits)).toBe(key);
  });
});

describe('clientAddress', () => {
  const trusted = { trustProxy: true, proxyHops: 1 };
  it.each([
    [
      'no proxy trust: the peer, whatever the header says',
      request('127.0.0.1', '203.0.113.9'),
      { trustProxy: false, proxyHops: 1 },
      '127.0.0.1',
    ],
    ['the rightmost entry', request('10.0.0.1', '6.6.6.6, 203.0.113.9'), trusted, '203.0.113.9'],
    [
      'repeated headers are one list',
      request('10.0.0.1', ['6.6.6.6', '203.0.113.9']),
      trusted,
      '203.0.113.9',
    ],
    [
      'two hops: the second from the right',
      request('10.0.0.1', '6.6.6.6, 203.0.113.9, 10.0.0.2'),
      { trustProxy: true, proxyHops: 2 },
      '203.0.113.9',
    ],
    [
      'fewer entries than hops: the leftmost',
      request('10.0.0.1', '203.0.113.9'),
      { trustProxy: true, proxyHops: 3 },
      '203.0.113.9',
    ],
    ['a port is dropped', request('10.0.0.1', '203.0.113.9:51234'), trusted, '203.0.113.9'],
    ['a bracketed IPv6 with port', request('10.0.0.1', '[2001:db8::5]:443'), trusted, '2001:db8::5'],
    ['no header: the peer', request('10.0.0.1'), trusted, '10.0.0.1'],
    ['an entry that is no address: the peer', request('10.0.0.1', 'unknown'), trusted, '10.0.0.1'],
  ])('%s', (_what, req, policy, expected) => {
    expect(clientAddress(req, policy)).toBe(expected);
  });
});
