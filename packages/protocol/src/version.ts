/**
 * Protocol versions this build speaks. The client offers a list in `hello`; the server answers
 * with the highest version both support, or closes with `UNSUPPORTED_VERSION`. Version 2 adds `redirect` (a cluster node sends a joining
 * client to the node hosting its meeting) and `join.ticket`; a version-1 client is never
 * redirected (it gets `REDIRECT_UNSUPPORTED` where it would be).
 */
export const PROTOCOL_VERSIONS = [1, 2] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];
export const CURRENT_PROTOCOL_VERSION: ProtocolVersion = 2;
/** The first version whose clients follow `redirect`. */
export const REDIRECT_VERSION: ProtocolVersion = 2;

export function negotiateVersion(offered: readonly number[]): ProtocolVersion | undefined {
  let best: ProtocolVersion | undefined;
  for (const v of PROTOCOL_VERSIONS) {
    if (offered.includes(v) && (best === undefined || v > best)) best = v;
  }
  return best;
}
