import { MAX_PACKET_BYTES, RTP_FIXED_HEADER } from './rtp.js';

/*
 * The abs-send-time header extension (webrtc.org's "absolute send time") on forwarded video.
 *
 * Chromium estimates a subscriber's downlink from how packet arrival spacing drifts against send
 * spacing, and reports the estimate as REMB, which sets the layer the SFU forwards it. Without a
 * send time it takes the spacing from RTP timestamps, i.e. from the *publisher's* capture clock, so
 * every delay before the SFU counts against the subscriber: a packet the publisher's uplink lost
 * and resent a round trip later, or one the SFU resends after a NACK, arrives "late" for its frame
 * and reads as queueing on the subscriber's link. Behind 150 ms of round trip that was enough to
 * push an unimpaired viewer off his layer. Stamped with the moment the SFU sends each copy (and
 * each retransmission), the spacing is the SFU → subscriber path's alone.
 *
 * The element is 3 bytes, 6.18 fixed-point seconds that wrap every 64 s; only differences count,
 * so the clock's origin does not matter.
 */

export const ABS_SEND_TIME_URI = 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time';
/** Free in the whole BUNDLE group (audio level is 1, the rid 4), on every video m-line both ways. */
export const ABS_SEND_TIME_ID = 3;
/** The whole extension block a forwarded video packet carries: 0xBEDE, length 1, one 3-byte element. */
export const SEND_TIME_BLOCK = 8;

const ELEMENT_HEADER = (ABS_SEND_TIME_ID << 4) | 2;
/** 2^18 units per second. */
const UNITS_PER_MS = 262.144;

function writeBlock(packet: Buffer, at: number, nowMs: number): void {
  packet[at] = 0xbe;
  packet[at + 1] = 0xde;
  packet[at + 2] = 0;
  packet[at + 3] = 1;
  packet[at + 4] = ELEMENT_HEADER;
  writeTime(packet, at + 5, nowMs);
}

function writeTime(packet: Buffer, at: number, nowMs: number): void {
  const t = Math.round(nowMs * UNITS_PER_MS) & 0xffffff;
  packet[at] = t >>> 16;
  packet[at + 1] = (t >>> 8) & 0xff;
  packet[at + 2] = t & 0xff;
}

/** Room for any packet the engine forwards, with its send-time block. */
export function sendTimeScratch(): Buffer {
  return Buffer.alloc(MAX_PACKET_BYTES + SEND_TIME_BLOCK);
}

/**
 * `packet` (extensions already stripped) with a send-time block after its CSRCs stating `nowMs`,
 * written into `scratch` (from sendTimeScratch) and returned as a view of it: one copy and one
 * stamp per packet, however many subscribers then rewrite and send it, and no allocation. The
 * copies of one packet leave within a fan-out (well under a millisecond) in the same order every
 * time, so one time for all of them adds no variation that an estimate could read as queueing. Chromium's packets rarely have an
 * extension block of their own to reuse (the engine offers publishers only the rid, which they stop
 * sending once the SSRC is known), and the packet cache keeps the stripped packet as it arrived.
 */
export function withSendTimeBlock(packet: Buffer, csrcEnd: number, scratch: Buffer, nowMs: number): Buffer {
  // One memmove of the whole packet to where its payload belongs, then its header moved back
  // in front of the block: two builtin copies, cheaper than slicing the packet.
  scratch.set(packet, SEND_TIME_BLOCK);
  scratch.copyWithin(0, SEND_TIME_BLOCK, SEND_TIME_BLOCK + csrcEnd);
  writeBlock(scratch, csrcEnd, nowMs);
  scratch[0] = (scratch[0] as number) | 0x10;
  return scratch.subarray(0, packet.length + SEND_TIME_BLOCK);
}

/** Reads the send time, in 1/2^18 s, of a packet made by withSendTimeBlock; -1 for a packet without one. */
export function readSendTime(packet: Uint8Array): number {
  const b0 = packet[0] as number;
  if ((b0 & 0x10) === 0) return -1;
  const at = RTP_FIXED_HEADER + (b0 & 0x0f) * 4;
  if (packet[at] !== 0xbe || packet[at + 1] !== 0xde || packet[at + 4] !== ELEMENT_HEADER) return -1;
  return ((packet[at + 5] as number) << 16) | ((packet[at + 6] as number) << 8) | (packet[at + 7] as number);
}
