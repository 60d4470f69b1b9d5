import type { IncomingMessage } from 'node:http';
import { matchesNodeOrigin } from '../config/cluster.js';

/**
 * May this upgrade request open a signalling socket (issue 17, finding 5)? Browsers send the page's
 * origin with every WebSocket upgrade and let any page connect anywhere, so without this check any
 * web site could make its visitors' browsers join meetings or guess passwords from their addresses.
 *
 * Allowed: the server's own origin (the Origin's host is the request's Host, as a reverse proxy
 * that passes the Host on keeps it), the origins in `allowed`, and requests without an Origin —
 * those come from programs, not from pages, and no web site can make a program connect. In a
 * cluster, also pages of any node (`nodeOrigins` patterns): a redirect sends a page loaded from one
 * node to another node's socket.
 */
export function originAllowed(
  request: IncomingMessage,
  allowed: ReadonlySet<string>,
  nodeOrigins: readonly string[] = [],
): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file: pages) and garbage
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (allowed.has(url.origin) || matchesNodeOrigin(url.origin, nodeOrigins)) return true;
  const host = request.headers.host;
  return host !== undefined && url.host === host.toLowerCase();
}
