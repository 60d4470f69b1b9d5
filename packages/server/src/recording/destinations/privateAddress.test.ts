import { describe, expect, it } from 'vitest';
import { isPrivateAddress, isPrivateHost } from './privateAddress.js';

describe('isPrivateAddress', () => {
  it.each([
    // IPv4 and its IPv6 forms
    ['10.1.2.3', true],
    ['127.0.0.1', true],
    ['169.254.169.254', true],
    ['198.51.100.7', false],
    ['8.8.8.8', false],
    ['::ffff:127.0.0.1', true],
    ['::ffff:a00:1', true],
    ['::ffff:808:808', false],
    ['::1', true],
    ['fd12:3456::1', true],
    ['2a00:1450:4001:82b::200e', false],
    // NAT64 well-known prefix (RFC 6052): the IPv4 address is the last 32 bits (finding 8)
    ['64:ff9b::a00:1', true], // 10.0.0.1
    ['64:ff9b::7f00:1', true], // 127.0.0.1
    ['64:ff9b::169.254.169.254', true],
    ['64:ff9b::c0a8:101', true], // 192.168.1.1
    ['64:ff9b::808:808', false], // 8.8.8.8: a NAT64 gateway to a public host is fine
    // NAT64 local-use prefix (RFC 8215): the operator's own translator, never a public host
    ['64:ff9b:1::a00:1', true],
    ['64:ff9b:1:2:3:4:808:808', true],
    // 6to4 (RFC 3056): the IPv4 address is bits 16..47
    ['2002:a00:1::1', true], // 10.0.0.1
    ['2002:7f00:1::', true], // 127.0.0.1
    ['2002:c0a8:101:0:1:2:3:4', true], // 192.168.1.1
    ['2002:a9fe:a9fe::1', true], // 169.254.169.254
    ['2002:808:808::1', false], // 8.8.8.8
    // Teredo (RFC 4380): the client's address is hidden in the last 32 bits; deprecated, refused whole
    ['2001:0:4136:e378:8000:63bf:f5ff:fffe', true],
    ['not an address', false],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });

  it('host names as written in a URL', () => {
    expect(isPrivateHost('[64:ff9b::a00:1]')).toBe(true);
    expect(isPrivateHost('[2002:c0a8:101::1]')).toBe(true);
    expect(isPrivateHost('[2002:808:808::1]')).toBe(false);
    expect(isPrivateHost('nas.local')).toBe(true);
  });
});
