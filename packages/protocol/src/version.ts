/**
 * Protocol versions this build speaks. The client offers a list in `hello`; the server answers
 * with the highest version both support, or closes with `UNSUPPORTED_VERSION`.
 */
export const PROTOCOL_VERSIONS = [1] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];
export const CURRENT_PROTOCOL_VERSION: ProtocolVersion = 1;

export function negotiateVersion(offered: readonly number[]): ProtocolVersion | undefined {
  let best: ProtocolVersion | undefined;
  for (const v of PROTOCOL_VERSIONS) {
    if (offered.includes(v) && (best === undefined || v > best)) best = v;
  }
  return best;
}
