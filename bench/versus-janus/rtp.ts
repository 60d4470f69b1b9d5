import { buildNack } from '@conclave/server/rtcp';
import { isRtcp, readRtpHeader, rtpHeader } from '@conclave/server/rtp';
import type { Track } from 'node-datachannel';

/*
 * The bots' media, the same for both servers: synthetic VP8 and Opus RTP (no encoder, no decoder)
 * sent in bursts on a timer, and a counter for what arrives. Every payload carries its send time
 * (CLOCK_MONOTONIC, shared by every process on the machine) after the VP8 descriptor, so the bots
 * also see the end-to-end latency; the SFU's own added latency comes from the kernel's timestamps
 * (bench/sfu-fanout/pcapLatency.ts). Same packet layout as bench/lib/ndcBot.ts, one layer only.
 */

export const VP8_PT = 96;
export const OPUS_PT = 111;
export const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';
/** The extension id the bots write the audio level with (both servers negotiate the bots' id). */
export const AUDIO_LEVEL_ID = 1;
const SENT_AT = 11;
const START_CODE = Buffer.from([0x9d, 0x01, 0x2a]);
const NO_START_CODE = Buffer.alloc(3);
const MONO_ORIGIN = process.hrtime.bigint();

export type Kind = 'audio' | 'video';

export interface MediaShape {
  videoPps: number;
  audioPps: number;
  videoBytes: number;
  /** Packets leave in bursts every tickMs (Chromium's pacer: 5 ms). */
  tickMs: number;
}

export const randomSsrc = () => (Math.random() * 0xfffffff0 + 1) >>> 0;

/**
 * RTP packets every publisher of this process has handed to its track: with the namespace's UDP
 * counters (kernel.ts), what is left of all the datagrams sent is what the server sent.
 */
export const published = { packets: 0 };

/** Sends one synthetic stream on `track` until stopped. Video: 4 packets a frame, a keyframe every 60. */
export function startRtpStream(track: Track, kind: Kind, ssrc: number, shape: MediaShape): () => void {
  const video = kind === 'video';
  const pps = video ? shape.videoPps : shape.audioPps;
  if (!pps) return () => {};
  const payloadBytes = video ? shape.videoBytes : 80;
  // 12-byte header, an 8-byte one-byte-header extension block, then the payload.
  const packet = Buffer.alloc(12 + 8 + Math.max(payloadBytes, SENT_AT + 8));
  packet[0] = 0x90;
  packet.writeUInt32BE(ssrc, 8);
  packet.writeUInt16BE(0xbede, 12);
  packet.writeUInt16BE(1, 14);
  // Audio: RFC 6464 level, loud; video: an id neither server negotiated (both drop it).
  packet[16] = video ? 0x30 : (AUDIO_LEVEL_ID << 4) | 0;
  packet[17] = video ? 0x00 : 0x80 | 20;
  let seq = Math.floor(Math.random() * 0x10000);
  let ts = Math.floor(Math.random() * 0x1_0000_0000);
  let n = 0;
  let credit = 0;
  const timer = setInterval(() => {
    credit += (pps * shape.tickMs) / 1000;
    while (credit >= 1 && track.isOpen()) {
      credit--;
      const firstOfFrame = n % 4 === 0;
      packet[1] = (video ? VP8_PT : OPUS_PT) | (video && n % 4 === 3 ? 0x80 : 0);
      packet.writeUInt16BE(seq, 2);
      packet.writeUInt32BE(ts >>> 0, 4);
      if (video) {
        const key = firstOfFrame && Math.floor(n / 4) % 60 === 0;
        packet[20] = firstOfFrame ? 0x10 : 0x00;
        packet[21] = key ? 0x00 : 0x01;
        packet.set(key ? START_CODE : NO_START_CODE, 24);
        packet.writeUInt16LE(key ? 640 : 0, 27);
        packet.writeUInt16LE(key ? 360 : 0, 29);
      }
      packet.writeBigUInt64BE(process.hrtime.bigint() - MONO_ORIGIN + 1n, 20 + SENT_AT);
      try {
        track.sendMessageBinary(packet);
        published.packets++;
      } catch {
        // closed under us
      }
      seq = (seq + 1) & 0xffff;
      n++;
      if (!video || n % 4 === 0) ts += video ? 3000 : 960;
    }
  }, shape.tickMs);
  return () => clearInterval(timer);
}

interface Inbound {
  mid: string;
  kind: Kind;
  highest: number;
  base: number;
  seen: Uint8Array;
  unique: number;
}

export interface SinkCounters {
  unique: number;
  expected: number;
  /** Milliseconds, bot send → bot receive, since the last call. */
  latencies: number[];
}

/** Counts what a subscriber receives, per SSRC, NACKs gaps once as a browser would. */
export class RtpSink {
  readonly #inbound = new Map<number, Inbound>();
  readonly #latencies: number[] = [];
  readonly #header = rtpHeader();

  /** Feed every packet a receiving track delivers (RTP and RTCP). */
  receive(track: Track, packet: Buffer): void {
    const h = this.#header;
    if (isRtcp(packet) || !readRtpHeader(packet, h)) return;
    const pt = h.payloadType;
    if (pt !== VP8_PT && pt !== OPUS_PT) return;
    const { ssrc, sequence: seq } = h;
    let s = this.#inbound.get(ssrc);
    if (!s) {
      const kind = pt === VP8_PT ? 'video' : 'audio';
      s = { mid: track.mid(), kind, highest: seq, base: seq, seen: new Uint8Array(0x10000), unique: 0 };
      this.#inbound.set(ssrc, s);
    } else {
      const d = (seq - (s.highest & 0xffff)) & 0xffff;
      if (d !== 0 && d < 0x8000) {
        if (d > 1 && d < 64) nack(track, ssrc, s.highest & 0xffff, d - 1);
        s.highest += d;
      }
    }
    if (!s.seen[seq]) {
      s.seen[seq] = 1;
      s.unique++;
    }
    const payload = h.payloadOffset;
    if (packet.length >= payload + SENT_AT + 8) {
      const sent = packet.readBigUInt64BE(payload + SENT_AT);
      if (sent > 0n) this.#latencies.push(Number(process.hrtime.bigint() - MONO_ORIGIN - sent) / 1e6);
    }
  }

  /** The SSRCs received, and the mid each arrived on. */
  streams(): { ssrc: number; mid: string; kind: Kind }[] {
    return [...this.#inbound].map(([ssrc, s]) => ({ ssrc, mid: s.mid, kind: s.kind }));
  }

  take(): SinkCounters {
    let unique = 0;
    let expected = 0;
    for (const s of this.#inbound.values()) {
      unique += s.unique;
      expected += s.highest - s.base + 1;
    }
    return { unique, expected, latencies: this.#latencies.splice(0) };
  }
}

function nack(track: Track, mediaSsrc: number, last: number, missing: number): void {
  const lost = Array.from({ length: Math.min(missing, 17) }, (_, i) => (last + 1 + i) & 0xffff);
  try {
    track.sendMessageBinary(buildNack(1, mediaSsrc, lost));
  } catch {
    // closed
  }
}
