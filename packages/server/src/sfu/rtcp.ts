/*
 * The RTCP the SFU reads from subscribers and publishers (RFC 3550 §6, RFC 4585 feedback, RFC 5104
 * FIR) and the little it writes. A compound packet is walked once; anything malformed ends the
 * walk, so garbage from a peer can cost at most one pass over its own bytes.
 */

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_RTPFB = 205;
export const RTCP_PSFB = 206;

export interface SenderReport {
  ssrc: number;
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
}

/** An NTP timestamp (RFC 3550 §4: seconds and 2^-32 fractions) in milliseconds; a double holds it exactly enough. */
export function ntpMs(seconds: number, fraction: number): number {
  return seconds * 1000 + (fraction * 1000) / 0x100000000;
}

export interface RtcpSummary {
  /** PLI or FIR for a media SSRC. */
  keyframeFor: number[];
  /** Generic NACKs: lost sequence numbers per media SSRC. */
  nacks: { ssrc: number; sequences: number[] }[];
  senderReports: SenderReport[];
  /** Reception report blocks of SRs and RRs: what the sender of this RTCP received of each SSRC. */
  reportBlocks: ReportBlock[];
  /** The receiver's bandwidth estimate from a REMB (draft-alvestrand-rmcat-remb), bits/s; -1 when none. */
  remb: number;
  /** Sub-packets that were not understood or malformed. */
  malformed: boolean;
}

/** 'REMB' in ASCII: the unique identifier of a REMB application-layer feedback message. */
const REMB_ID = 0x52454d42;

/** Most sequence numbers one NACK message may ask for (17 per FCI entry); a flood is cut here. */
const MAX_NACKED_PER_PACKET = 17 * 16;

export function parseRtcp(packet: Buffer): RtcpSummary {
  const summary: RtcpSummary = {
    keyframeFor: [],
    nacks: [],
    senderReports: [],
    reportBlocks: [],
    remb: -1,
    malformed: false,
  };
  let offset = 0;
  while (offset + 4 <= packet.length) {
    const b0 = packet[offset] as number;
    if (b0 >> 6 !== 2) {
      summary.malformed = true;
      break;
    }
    const fmt = b0 & 0x1f;
    const type = packet[offset + 1] as number;
    const length = (packet.readUInt16BE(offset + 2) + 1) * 4;
    if (offset + length > packet.length) {
      summary.malformed = true;
      break;
    }
    const end = offset + length;
    if (type === RTCP_PSFB && fmt === 15 && length >= 20 && packet.readUInt32BE(offset + 12) === REMB_ID) {
      const exp = (packet[offset + 17] as number) >> 2;
      const mantissa = (((packet[offset + 17] as number) & 0x03) << 16) | packet.readUInt16BE(offset + 18);
      summary.remb = mantissa * 2 ** exp;
    } else if (type === RTCP_PSFB && length >= 12 && (fmt === 1 || fmt === 4)) {
      if (fmt === 1) summary.keyframeFor.push(packet.readUInt32BE(offset + 8));
      else if (length >= 20) summary.keyframeFor.push(packet.readUInt32BE(offset + 12)); // FIR FCI carries the SSRC
    } else if (type === RTCP_RTPFB && fmt === 1 && length >= 16) {
      const sequences: number[] = [];
      for (let i = offset + 12; i + 4 <= end && sequences.length < MAX_NACKED_PER_PACKET; i += 4) {
        const pid = packet.readUInt16BE(i);
        const blp = packet.readUInt16BE(i + 2);
        sequences.push(pid);
        for (let bit = 0; bit < 16; bit++) if (blp & (1 << bit)) sequences.push((pid + bit + 1) & 0xffff);
      }
      summary.nacks.push({ ssrc: packet.readUInt32BE(offset + 8), sequences });
    } else if (type === RTCP_SR && length >= 28) {
      summary.senderReports.push({
        ssrc: packet.readUInt32BE(offset + 4),
        ntpSeconds: packet.readUInt32BE(offset + 8),
        ntpFraction: packet.readUInt32BE(offset + 12),
        rtpTimestamp: packet.readUInt32BE(offset + 16),
      });
      readReportBlocks(packet, offset + 28, b0 & 0x1f, end, summary.reportBlocks);
    } else if (type === RTCP_RR && length >= 8) {
      readReportBlocks(packet, offset + 8, b0 & 0x1f, end, summary.reportBlocks);
    }
    offset = end;
  }
  return summary;
}

/** Up to `count` 24-byte report blocks from `start`, never past `end` (a lying count reads less). */
function readReportBlocks(
  packet: Buffer,
  start: number,
  count: number,
  end: number,
  out: ReportBlock[],
): void {
  for (let i = 0, o = start; i < count && o + 24 <= end; i++, o += 24) {
    out.push({
      ssrc: packet.readUInt32BE(o),
      fractionLost: packet[o + 4] as number,
      cumulativeLost: packet.readIntBE(o + 5, 3), // signed (RFC 3550 §6.4.1): duplicates can make it negative
      highestSequence: packet.readUInt32BE(o + 8),
      jitter: packet.readUInt32BE(o + 12),
      lastSenderReport: packet.readUInt32BE(o + 16),
      delaySinceLastSenderReport: packet.readUInt32BE(o + 20),
    });
  }
}

/** A sender report without report blocks (RFC 3550 §6.4.1). */
export function buildSenderReport(
  ssrc: number,
  ntpSeconds: number,
  ntpFraction: number,
  rtpTimestamp: number,
  packets: number,
  octets: number,
): Buffer {
  const out = Buffer.alloc(28);
  out[0] = 0x80;
  out[1] = RTCP_SR;
  out.writeUInt16BE(6, 2);
  out.writeUInt32BE(ssrc >>> 0, 4);
  out.writeUInt32BE(ntpSeconds >>> 0, 8);
  out.writeUInt32BE(ntpFraction >>> 0, 12);
  out.writeUInt32BE(rtpTimestamp >>> 0, 16);
  out.writeUInt32BE(packets >>> 0, 20);
  out.writeUInt32BE(octets >>> 0, 24);
  return out;
}

/** One reception report block (RFC 3550 §6.4.1): what a receiver got of one SSRC. */
export interface ReportBlock {
  ssrc: number;
  /** Loss since the previous report, in 1/256. */
  fractionLost: number;
  cumulativeLost: number;
  /** Cycles × 2^16 + the highest sequence number received. */
  highestSequence: number;
  /** Interarrival jitter, in RTP timestamp units. */
  jitter: number;
  /** Middle 32 bits of the last SR's NTP timestamp; 0 before any. */
  lastSenderReport: number;
  /** Since that SR, in 1/65536 s. */
  delaySinceLastSenderReport: number;
}

/** A receiver report with up to 31 report blocks (RFC 3550 §6.4.2). */
export function buildReceiverReport(senderSsrc: number, blocks: readonly ReportBlock[]): Buffer {
  const count = Math.min(blocks.length, 31);
  const out = Buffer.alloc(8 + count * 24);
  out[0] = 0x80 | count;
  out[1] = RTCP_RR;
  out.writeUInt16BE(out.length / 4 - 1, 2);
  out.writeUInt32BE(senderSsrc >>> 0, 4);
  for (let i = 0; i < count; i++) {
    const b = blocks[i] as ReportBlock;
    const o = 8 + i * 24;
    out.writeUInt32BE(b.ssrc >>> 0, o);
    out[o + 4] = b.fractionLost & 0xff;
    out.writeUIntBE(b.cumulativeLost & 0xffffff, o + 5, 3);
    out.writeUInt32BE(b.highestSequence >>> 0, o + 8);
    out.writeUInt32BE(b.jitter >>> 0, o + 12);
    out.writeUInt32BE(b.lastSenderReport >>> 0, o + 16);
    out.writeUInt32BE(b.delaySinceLastSenderReport >>> 0, o + 20);
  }
  return out;
}

/** A generic NACK for `sequences` of `mediaSsrc` (RFC 4585 §6.2.1). */
export function buildNack(senderSsrc: number, mediaSsrc: number, sequences: number[]): Buffer {
  const entries: [number, number][] = [];
  for (const seq of sequences) {
    const last = entries[entries.length - 1];
    const d = last ? (seq - last[0]) & 0xffff : 0;
    if (last && d >= 1 && d <= 16) last[1] |= 1 << (d - 1);
    else entries.push([seq & 0xffff, 0]);
  }
  const out = Buffer.alloc(12 + entries.length * 4);
  out[0] = 0x80 | 1;
  out[1] = RTCP_RTPFB;
  out.writeUInt16BE(out.length / 4 - 1, 2);
  out.writeUInt32BE(senderSsrc >>> 0, 4);
  out.writeUInt32BE(mediaSsrc >>> 0, 8);
  entries.forEach(([pid, blp], i) => {
    out.writeUInt16BE(pid, 12 + i * 4);
    out.writeUInt16BE(blp, 14 + i * 4);
  });
  return out;
}

/** A picture loss indication (RFC 4585 §6.3.1). */
export function buildPli(senderSsrc: number, mediaSsrc: number): Buffer {
  const out = Buffer.alloc(12);
  out[0] = 0x80 | 1;
  out[1] = RTCP_PSFB;
  out.writeUInt16BE(2, 2);
  out.writeUInt32BE(senderSsrc >>> 0, 4);
  out.writeUInt32BE(mediaSsrc >>> 0, 8);
  return out;
}

/** A REMB for `bitrate` bits/s about `ssrcs` (draft-alvestrand-rmcat-remb §2). */
export function buildRemb(senderSsrc: number, bitrate: number, ssrcs: readonly number[]): Buffer {
  let exp = 0;
  let mantissa = Math.max(0, Math.floor(bitrate));
  while (mantissa > 0x3ffff) {
    mantissa = Math.floor(mantissa / 2);
    exp++;
  }
  const out = Buffer.alloc(20 + ssrcs.length * 4);
  out[0] = 0x80 | 15;
  out[1] = RTCP_PSFB;
  out.writeUInt16BE(out.length / 4 - 1, 2);
  out.writeUInt32BE(senderSsrc >>> 0, 4);
  out.writeUInt32BE(0, 8);
  out.writeUInt32BE(REMB_ID, 12);
  out[16] = ssrcs.length;
  out[17] = (exp << 2) | (mantissa >> 16);
  out.writeUInt16BE(mantissa & 0xffff, 18);
  for (let i = 0; i < ssrcs.length; i++) out.writeUInt32BE((ssrcs[i] as number) >>> 0, 20 + i * 4);
  return out;
}
