import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { formatIpv6, hasPrefix, ipv4Tail, ipv6Bytes } from '../util/ip.js';

/*
 * Who a request counts as for the per-address limits (PRIVACY P2, P4; issue 17 findings 2 and 3).
 * The result is a rate-limit key only: it is never logged (P7).
 */

export interface AddressPolicy {
  /** Read the address from X-Forwarded-For (only behind the operator's own proxy). */
  trustProxy: boolean;
  /** How many of the operator's proxies append to X-Forwarded-For. */
  proxyHops: number;
  /** IPv6 clients are counted by this prefix of their address. */
  ipv6PrefixLength: number;
}

/** The key a request's per-address limits are kept under. */
export function addressKeyOf(request: IncomingMessage, policy: AddressPolicy): string {
  return addressKey(clientAddress(request, policy), policy.ipv6PrefixLength);
}

/**
 * The client's address: the socket's peer, or behind trusted proxies the entry the outermost of
 * them appended to X-Forwarded-For — counted from the right, because everything to its left came
 * from the client and can be anything it likes.
 */
export function clientAddress(
  request: IncomingMessage,
  policy: Omit<AddressPolicy, 'ipv6PrefixLength'>,
): string {
  const peer = request.socket.remoteAddress ?? 'unknown';
  if (!policy.trustProxy) return peer;
  const header = request.headers['x-forwarded-for'];
  // Repeated headers are one list, in order (RFC 9110 §5.3).
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) return peer;
  // Fewer entries than proxies: the request came through fewer of them; the leftmost is then the
  // one the outermost proxy it passed added.
  const entry = entries[Math.max(0, entries.length - policy.proxyHops)] ?? '';
  return stripPort(entry) ?? peer;
}

/** `1.2.3.4:5678` and `[2001:db8::1]:443` → the address; anything that is not an IP → undefined. */
function stripPort(entry: string): string | undefined {
  if (isIP(entry)) return entry;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed?.[1] && isIP(bracketed[1]) === 6) return bracketed[1];
  const v4 = /^([\d.]+):\d+$/.exec(entry);
  if (v4?.[1] && isIP(v4[1]) === 4) return v4[1];
  return undefined;
}

const V4_MAPPED = ipv6Bytes('::ffff:0:0') as Uint8Array;

/**
 * IPv4: the address. IPv4-mapped IPv6 (`::ffff:a.b.c.d`, how a dual-stack socket reports IPv4
 * peers): the IPv4 address, so both forms share a limit. Other IPv6: its first `prefixLength`
 * bits, e.g. `2001:db8:1:2::/64` — one subscriber usually holds a whole /64 and could otherwise
 * rotate through its addresses. Anything else is its own key.
 */
export function addressKey(address: string, prefixLength: number): string {
  const bytes = ipv6Bytes(address);
  if (!bytes) return address;
  if (hasPrefix(bytes, V4_MAPPED, 96)) return ipv4Tail(bytes);
  for (let bit = prefixLength; bit < 128; bit++) {
    const i = bit >> 3;
    bytes[i] = (bytes[i] ?? 0) & ~(0x80 >> (bit % 8));
  }
  return `${formatIpv6(bytes)}/${prefixLength}`;
}
