/*
 * RTP header reading and in-place rewriting (RFC 3550 §5.1, RFC 8285 for extensions). The SFU
 * needs only the fixed header, the extension block and the payload boundary: payloads stay opaque,
 * which is also why forwarding works unchanged under end-to-end encryption.
 */

export const RTP_FIXED_HEADER = 12;
/** Larger than any packet a browser sends over a 1500-byte path; anything bigger is dropped. */
export const MAX_PACKET_BYTES = 1500;

export interface RtpHeader {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
  /** Offset of the first byte after the fixed header and CSRCs (where an extension block starts). */
  csrcEnd: number;
  /** Offset of the extension block's profile word, or -1 when there is none. */
  extensionOffset: number;
  /** Bytes of the extension block including its 4-byte header; 0 when there is none. */
  extensionLength: number;
  /** Offset of the payload. */
  payloadOffset: number;
  /** Padding bytes at the end (RFC 3550 P bit). */
  padding: number;
}

/**
 * RTP and RTCP share one port (RFC 5761 §4): a second byte of 192–223 is an RTCP packet type
 * (SR 200 … PSFB 206 plus reserved neighbours), which no dynamic RTP payload type can produce.
 */
export function isRtcp(packet: Uint8Array): boolean {
  const b = packet[1];
  return packet.length >= 8 && b !== undefined && b >= 192 && b <= 223;
}

/** Parses an RTP header; undefined for anything malformed (wrong version, truncated, bad lengths). */
export function parseRtp(packet: Buffer): RtpHeader | undefined {
  const length = packet.length;
  if (length < RTP_FIXED_HEADER || length > MAX_PACKET_BYTES) return undefined;
  const b0 = packet[0] as number;
  if (b0 >> 6 !== 2) return undefined;
  const b1 = packet[1] as number;
  const csrcEnd = RTP_FIXED_HEADER + (b0 & 0x0f) * 4;
  if (csrcEnd > length) return undefined;
  let extensionOffset = -1;
  let extensionLength = 0;
  if (b0 & 0x10) {
    if (csrcEnd + 4 > length) return undefined;
    extensionOffset = csrcEnd;
    extensionLength = 4 + packet.readUInt16BE(csrcEnd + 2) * 4;
    if (csrcEnd + extensionLength > length) return undefined;
  }
  const payloadOffset = csrcEnd + extensionLength;
  let padding = 0;
  if (b0 & 0x20) {
    padding = packet[length - 1] as number;
    if (padding === 0 || payloadOffset + padding > length) return undefined;
  }
  return {
    payloadType: b1 & 0x7f,
    marker: (b1 & 0x80) !== 0,
    sequence: packet.readUInt16BE(2),
    timestamp: packet.readUInt32BE(4),
    ssrc: packet.readUInt32BE(8),
    csrcEnd,
    extensionOffset,
    extensionLength,
    payloadOffset,
    padding,
  };
}

/**
 * The packet without its header-extension block, made in place: the fixed header and CSRCs move
 * up over the extension block and the result is a view of the same memory (no copy of the
 * payload, no new backing store). Extension IDs are negotiated per PeerConnection, so the
 * publisher's IDs mean nothing (or something else) to a subscriber; a libdatachannel receiver was
 * seen dropping video that carried foreign extensions. `packet` must not be used afterwards.
 */
export function stripExtensionsInPlace(packet: Buffer, csrcEnd: number, extensionLength: number): Buffer {
  if (extensionLength === 0) return packet;
  packet.copyWithin(extensionLength, 0, csrcEnd);
  const out = packet.subarray(extensionLength);
  out[0] = (out[0] as number) & ~0x10;
  return out;
}

/** Rewrites sequence number, timestamp and SSRC in place. */
export function rewriteRtp(packet: Buffer, sequence: number, timestamp: number, ssrc: number): void {
  packet.writeUInt16BE(sequence & 0xffff, 2);
  packet.writeUInt32BE(timestamp >>> 0, 4);
  packet.writeUInt32BE(ssrc >>> 0, 8);
}

/** True when 16-bit sequence `a` is newer than `b`, across wrap-around (RFC 1982 serial arithmetic). */
export function seqNewer(a: number, b: number): boolean {
  const d = (a - b) & 0xffff;
  return d !== 0 && d < 0x8000;
}
