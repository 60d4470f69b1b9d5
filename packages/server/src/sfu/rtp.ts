/*
 * The one RTP reader-writer (RFC 3550 §5.1, RFC 8285 for extensions), used by forwarding, the
 * recorder and the tests alike. The SFU needs only the fixed header, the extension block and the
 * payload boundary: payloads stay opaque, which is also why forwarding works unchanged under
 * end-to-end encryption.
 *
 * Nothing here allocates on the per-packet path: `readRtpHeader` fills a header object the caller
 * keeps and reuses (one per Publication, one per recorded track), and the writers change bytes in
 * place. `parseRtp` and `rtpPacket` allocate; they are for tests, builders and cold paths.
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

/** A header to fill with readRtpHeader; every field present from the start, so its shape never changes. */
export function rtpHeader(): RtpHeader {
  return {
    payloadType: 0,
    marker: false,
    sequence: 0,
    timestamp: 0,
    ssrc: 0,
    csrcEnd: RTP_FIXED_HEADER,
    extensionOffset: -1,
    extensionLength: 0,
    payloadOffset: RTP_FIXED_HEADER,
    padding: 0,
  };
}

/**
 * RTP and RTCP share one port (RFC 5761 §4): a second byte of 192–223 is an RTCP packet type
 * (SR 200 … PSFB 206 plus reserved neighbours), which no dynamic RTP payload type can produce.
 */
export function isRtcp(packet: Uint8Array): boolean {
  const b = packet[1];
  return packet.length >= 8 && b !== undefined && b >= 192 && b <= 223;
}

/**
 * Reads the RTP header of `packet` into `out`; false for anything malformed (wrong version,
 * truncated, bad lengths, oversized), and `out` is then left partly written.
 */
export function readRtpHeader(packet: Uint8Array, out: RtpHeader): boolean {
  const length = packet.length;
  if (length < RTP_FIXED_HEADER || length > MAX_PACKET_BYTES) return false;
  const b0 = packet[0] as number;
  if (b0 >> 6 !== 2) return false;
  const csrcEnd = RTP_FIXED_HEADER + (b0 & 0x0f) * 4;
  if (csrcEnd > length) return false;
  let extensionOffset = -1;
  let extensionLength = 0;
  if (b0 & 0x10) {
    if (csrcEnd + 4 > length) return false;
    extensionOffset = csrcEnd;
    extensionLength = 4 + (((packet[csrcEnd + 2] as number) << 8) | (packet[csrcEnd + 3] as number)) * 4;
    if (csrcEnd + extensionLength > length) return false;
  }
  const payloadOffset = csrcEnd + extensionLength;
  let padding = 0;
  if (b0 & 0x20) {
    padding = packet[length - 1] as number;
    if (padding === 0 || payloadOffset + padding > length) return false;
  }
  const b1 = packet[1] as number;
  out.payloadType = b1 & 0x7f;
  out.marker = (b1 & 0x80) !== 0;
  out.sequence = rtpSequence(packet);
  out.timestamp = rtpTimestamp(packet);
  out.ssrc = rtpSsrc(packet);
  out.csrcEnd = csrcEnd;
  out.extensionOffset = extensionOffset;
  out.extensionLength = extensionLength;
  out.payloadOffset = payloadOffset;
  out.padding = padding;
  return true;
}

/** Parses an RTP header into a new object; undefined for anything malformed. Allocates: not for the hot path. */
export function parseRtp(packet: Uint8Array): RtpHeader | undefined {
  const header = rtpHeader();
  return readRtpHeader(packet, header) ? header : undefined;
}

/** The sequence number of a packet whose header was checked (readRtpHeader). */
export function rtpSequence(packet: Uint8Array): number {
  return ((packet[2] as number) << 8) | (packet[3] as number);
}

export function rtpTimestamp(packet: Uint8Array): number {
  return (
    (((packet[4] as number) << 24) |
      ((packet[5] as number) << 16) |
      ((packet[6] as number) << 8) |
      (packet[7] as number)) >>>
    0
  );
}

export function rtpSsrc(packet: Uint8Array): number {
  return (
    (((packet[8] as number) << 24) |
      ((packet[9] as number) << 16) |
      ((packet[10] as number) << 8) |
      (packet[11] as number)) >>>
    0
  );
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

/** Rewrites sequence number, timestamp and SSRC in place (byte stores: no range checks to pay per packet). */
export function rewriteRtp(packet: Uint8Array, sequence: number, timestamp: number, ssrc: number): void {
  packet[2] = (sequence >>> 8) & 0xff;
  packet[3] = sequence & 0xff;
  packet[4] = timestamp >>> 24;
  packet[5] = (timestamp >>> 16) & 0xff;
  packet[6] = (timestamp >>> 8) & 0xff;
  packet[7] = timestamp & 0xff;
  packet[8] = ssrc >>> 24;
  packet[9] = (ssrc >>> 16) & 0xff;
  packet[10] = (ssrc >>> 8) & 0xff;
  packet[11] = ssrc & 0xff;
}

export interface RtpFields {
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
  marker?: boolean | undefined;
  /** Contributing sources (RFC 3550 §5.1), at most 15. */
  csrcs?: readonly number[] | undefined;
  /**
   * A header-extension block: its profile word (0xBEDE one-byte, 0x100x two-byte form) and its
   * elements, zero-padded here to a multiple of four bytes.
   */
  extension?: { profile: number; data: Uint8Array } | undefined;
  /** Padding bytes to append (RFC 3550 P bit; the last one holds the count). */
  padding?: number | undefined;
}

/** A new RTP packet: version 2, the given header fields and `payload`. For builders and tests. */
export function rtpPacket(fields: RtpFields, payload: Uint8Array): Buffer {
  const csrcs = fields.csrcs ?? [];
  const ext = fields.extension;
  const extBytes = ext ? Math.ceil(ext.data.length / 4) * 4 : 0;
  const padding = fields.padding ?? 0;
  const csrcEnd = RTP_FIXED_HEADER + csrcs.length * 4;
  const payloadOffset = csrcEnd + (ext ? 4 + extBytes : 0);
  const packet = Buffer.alloc(payloadOffset + payload.length + padding);
  packet[0] = 0x80 | (padding ? 0x20 : 0) | (ext ? 0x10 : 0) | csrcs.length;
  packet[1] = (fields.marker ? 0x80 : 0) | (fields.payloadType & 0x7f);
  rewriteRtp(packet, fields.sequence, fields.timestamp, fields.ssrc);
  for (const [i, csrc] of csrcs.entries()) packet.writeUInt32BE(csrc >>> 0, RTP_FIXED_HEADER + i * 4);
  if (ext) {
    packet.writeUInt16BE(ext.profile, csrcEnd);
    packet.writeUInt16BE(extBytes / 4, csrcEnd + 2);
    packet.set(ext.data, csrcEnd + 4);
  }
  packet.set(payload, payloadOffset);
  if (padding) packet[packet.length - 1] = padding;
  return packet;
}

/** True when 16-bit sequence `a` is newer than `b`, across wrap-around (RFC 1982 serial arithmetic). */
export function seqNewer(a: number, b: number): boolean {
  const d = (a - b) & 0xffff;
  return d !== 0 && d < 0x8000;
}
