import { BlockList, isIP } from 'node:net';
import { hasPrefix, ipv4Tail, ipv6Bytes } from '../../util/ip.js';

/*
 * Addresses a user-given WebDAV URL must not reach unless the operator allows it
 * (`recording.webdav.allowPrivateAddresses`): otherwise a moderator could make the server send
 * requests into its own network (SSRF).
 */

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['64:ff9b:1::', 48], // NAT64 local-use prefix (RFC 8215): the operator's own translator
  ['100::', 64], // discard-only
  ['2001::', 32], // Teredo: the client's IPv4 address is hidden (XORed) in it; deprecated
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routable inside sites)
  ['ff00::', 8], // multicast
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv6');
}

/*
 * IPv6 addresses that carry an IPv4 address a gateway will turn them into: NAT64's well-known prefix
 * (RFC 6052, the IPv4 address in the last 32 bits) and 6to4 (RFC 3056, in bits 16..47). Through a
 * NAT64 or 6to4 gateway, `64:ff9b::a00:1` reaches 10.0.0.1, so each counts as its IPv4 address.
 */
const NAT64 = ipv6Bytes('64:ff9b::') as Uint8Array;
const SIX_TO_FOUR = ipv6Bytes('2002::') as Uint8Array;

function embeddedIpv4(bytes: Uint8Array): string | undefined {
  if (hasPrefix(bytes, NAT64, 96)) return ipv4Tail(bytes);
  if (hasPrefix(bytes, SIX_TO_FOUR, 16)) return [2, 3, 4, 5].map((i) => bytes[i] ?? 0).join('.');
  return undefined;
}

/**
 * Loopback, private, link-local, unique-local, unspecified, multicast and reserved addresses. IPv6
 * forms of IPv4 addresses (`::ffff:127.0.0.1`, NAT64 `64:ff9b::7f00:1`, 6to4 `2002:7f00:1::`) count
 * as the IPv4 address. Not an IP: false.
 */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(ip);
  if (family === 4) return PRIVATE.check(ip, 'ipv4');
  if (family !== 6) return false;
  if (PRIVATE.check(ip, 'ipv6')) return true;
  const v4 = embeddedIpv4(ipv6Bytes(ip) as Uint8Array);
  return v4 !== undefined && PRIVATE.check(v4, 'ipv4');
}

/** A URL's host as written: a private address, or a name that means this machine or its LAN. */
export function isPrivateHost(host: string): boolean {
  const h = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local')) return true;
  return isPrivateAddress(h);
}
