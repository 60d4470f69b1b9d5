import { PUBLISH_MIDS, SIMULCAST_RIDS } from '@conclave/protocol';
import { buildNack } from '@conclave/server/rtcp';
import { isRtcp, readRtpHeader, rewriteRtp, rtpHeader } from '@conclave/server/rtp';
import ndc, { type PeerConnection, type Track } from 'node-datachannel';

/*
 * A cheap load peer on node-datachannel for bench/sfu-fanout --synthetic: no encoder, no decoder.
 * A publishing bot sends synthetic VP8 and Opus RTP at a fixed rate; every packet's payload carries
 * the send time (CLOCK_MONOTONIC, the same clock in every process of this machine), so a receiving
 * bot measures the SFU's added latency directly. Receiving bots count packets per stream, detect
 * gaps from the (rewritten, continuous) sequence numbers and NACK them once, like a browser.
 *
 * libdatachannel drops RTP whose SSRC the remote description does not declare, so a publishing
 * bot declares its SSRCs by adding `a=ssrc:` lines to the answer it sends (bench only).
 */

type Signal = {
  description?: { type: 'offer' | 'answer'; sdp: string } | undefined;
  candidate?: { candidate: string; sdpMid?: string | null | undefined } | undefined;
  simulcast?: { rid: string; ssrc: number }[];
  videoConstraints?: { tiles: { participantId: string; height: number }[] };
};

/** Simulcast layers, lowest first: rid, keyframe size, share of the video packet rate. */
const LAYERS = [
  { rid: SIMULCAST_RIDS[0], width: 320, height: 180, share: 1 / 4 },
  { rid: SIMULCAST_RIDS[1], width: 640, height: 360, share: 1 / 2 },
  { rid: SIMULCAST_RIDS[2], width: 1280, height: 720, share: 1 },
] as const;
const { audio: PA, video: PV } = PUBLISH_MIDS;
/** The `a=mid:` line of either publish m-line, anywhere in an SDP, and within one m-section. */
const PUBLISH_MID_LINE = new RegExp(`a=mid:(${PA}|${PV})\\r\\n`, 'g');
const PUBLISH_MID_IN_SECTION = new RegExp(`\\r\\na=mid:(${PA}|${PV})\\r\\n`);
/** Where the send time sits in every payload: after the VP8 descriptor, frame tag, start code and size. */
const SENT_AT = 11;
/** The VP8 keyframe start code (RFC 6386 §9.1), and what a delta frame has there instead. */
const START_CODE = Buffer.from([0x9d, 0x01, 0x2a]);
const NO_START_CODE = Buffer.alloc(3);

export interface NdcBotOptions {
  /** Video packets per second to publish (0: publish nothing). */
  videoPps: number;
  /** Audio packets per second to publish (0: none). */
  audioPps: number;
  /** Video payload bytes per packet. */
  videoBytes: number;
  /** Every n-th video frame (4 packets) is a keyframe. */
  keyframeEvery?: number;
  /**
   * Packets go out in bursts every `tickMs` (default 10). Chromium's pacer sends every 5 ms; the
   * burst size sets how long the SFU's serial fan-out of one burst takes, hence the latency tail.
   */
  tickMs?: number;
  /**
   * Simulcast: publish video as three layers (rids l, m, h: 320×180, 640×360, 1280×720 keyframes)
   * at videoPps/4, videoPps/2 and videoPps, and report their SSRCs as the web client does.
   */
  simulcast?: boolean;
  send(signal: Signal): void;
}

interface Inbound {
  kind: 'audio' | 'video';
  /** Extended highest sequence number seen, and the first one. */
  highest: number;
  base: number;
  started: boolean;
  seen: Uint8Array;
  unique: number;
  nacked: number;
}

const VP8_PT = 96;
const OPUS_PT = 111;
const MONO_ORIGIN = process.hrtime.bigint();

export class NdcBot {
  readonly pc: PeerConnection;
  readonly #tracks: Track[] = [];
  /** Refilled by every received packet (the engine's own RTP reader). */
  readonly #header = rtpHeader();
  readonly #inbound = new Map<number, Inbound>();
  readonly #latencies: number[] = [];
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #videoSsrcs = LAYERS.map(() => (Math.random() * 0xfffffff0) >>> 0 || 1);
  readonly #audioSsrc = (Math.random() * 0xfffffff0) >>> 0 || 2;
  #closed = false;
  latencySampleEvery = 1;
  #latencyCounter = 0;

  constructor(
    private readonly options: NdcBotOptions,
    bindAddress = '127.0.0.1',
  ) {
    this.pc = new ndc.PeerConnection('bot', { iceServers: [], bindAddress });
    this.pc.onLocalDescription((sdp, type) => {
      if (this.#closed || type !== 'answer') return;
      this.options.send({ description: { type: 'answer', sdp: this.#declareSsrcs(sdp) } });
    });
    this.pc.onLocalCandidate((candidate, mid) => {
      if (!this.#closed) this.options.send({ candidate: { candidate, sdpMid: mid } });
    });
    this.pc.onTrack((track) => this.#onTrack(track));
  }

  signal({ description, candidate }: Signal): void {
    if (this.#closed) return;
    try {
      if (description?.type === 'offer') this.pc.setRemoteDescription(description.sdp, 'offer');
      else if (candidate?.candidate) this.pc.addRemoteCandidate(candidate.candidate, candidate.sdpMid ?? PA);
    } catch {
      // A bench bot ignores what it cannot apply.
    }
  }

  /** Received packets and gaps over all inbound streams; latencies in ms since the last call. */
  takeCounters(): { unique: number; expected: number; nacked: number; streams: number; latencies: number[] } {
    let unique = 0;
    let expected = 0;
    let nacked = 0;
    for (const s of this.#inbound.values()) {
      unique += s.unique;
      expected += s.highest - s.base + 1;
      nacked += s.nacked;
    }
    return { unique, expected, nacked, streams: this.#inbound.size, latencies: this.#latencies.splice(0) };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.#timers) clearInterval(t);
    try {
      this.pc.close();
    } catch {
      // already closed
    }
    this.#tracks.length = 0;
  }

  #declareSsrcs(sdp: string): string {
    // libdatachannel answers the engine's recvonly pa/pv with sendonly even without anything to
    // send; a browser says inactive. Do as the browser does for what this bot does not publish.
    if (!this.options.videoPps || !this.options.audioPps) {
      sdp = sdp
        .split(/\r\n(?=m=)/)
        .map((section) => {
          const mid = PUBLISH_MID_IN_SECTION.exec(section)?.[1];
          const silent = (mid === PA && !this.options.audioPps) || (mid === PV && !this.options.videoPps);
          return silent ? section.replace(/\r\na=(sendonly|sendrecv)\r\n/, '\r\na=inactive\r\n') : section;
        })
        .join('\r\n');
    }
    if (!this.options.videoPps && !this.options.audioPps) return sdp;
    return sdp.replace(PUBLISH_MID_LINE, (line, mid: string) => {
      const ssrcs = mid === PV ? this.#publishedVideoSsrcs() : [this.#audioSsrc];
      return `${line}${ssrcs.map((ssrc) => `a=ssrc:${ssrc} cname:bot\r\n`).join('')}`;
    });
  }

  #publishedVideoSsrcs(): number[] {
    return this.options.simulcast ? this.#videoSsrcs : this.#videoSsrcs.slice(-1);
  }

  #onTrack(track: Track): void {
    this.#tracks.push(track);
    const mid = track.mid();
    if (mid === PV || mid === PA) {
      track.onOpen(() => this.#startPublishing(track, mid === PV ? 'video' : 'audio'));
      return;
    }
    track.onMessage((packet) => this.#receive(track, packet));
  }

  #startPublishing(track: Track, kind: 'audio' | 'video'): void {
    if (this.#closed) return;
    if (kind === 'audio') {
      this.#publishStream(track, 'audio', this.#audioSsrc, this.options.audioPps, undefined);
      return;
    }
    const ssrcs = this.#publishedVideoSsrcs();
    const layers = this.options.simulcast ? LAYERS : LAYERS.slice(-1);
    for (const [i, layer] of layers.entries())
      this.#publishStream(track, 'video', ssrcs[i] as number, this.options.videoPps * layer.share, layer);
    if (this.options.simulcast)
      this.options.send({ simulcast: LAYERS.map((l, i) => ({ rid: l.rid, ssrc: ssrcs[i] as number })) });
  }

  #publishStream(
    track: Track,
    kind: 'audio' | 'video',
    ssrc: number,
    pps: number,
    size: { width: number; height: number } | undefined,
  ): void {
    if (!pps) return;
    const video = kind === 'video';
    const payloadBytes = video ? this.options.videoBytes : 80;
    // 12-byte header + one-byte extension block (8 bytes) + payload.
    const packet = Buffer.alloc(12 + 8 + Math.max(payloadBytes, SENT_AT + 8));
    packet[0] = 0x90; // V=2, X=1
    packet[1] = video ? VP8_PT : OPUS_PT;
    packet.writeUInt32BE(ssrc, 8);
    packet.writeUInt16BE(0xbede, 12);
    packet.writeUInt16BE(1, 14);
    // Audio: RFC 6464 level (id 1) loud; video: an id the SFU strips anyway.
    packet[16] = video ? 0x30 : 0x10;
    packet[17] = video ? 0x00 : 0x80 | 20;
    let seq = Math.floor(Math.random() * 0x10000);
    let ts = Math.floor(Math.random() * 0x1_0000_0000);
    let n = 0;
    const keyframeEvery = this.options.keyframeEvery ?? 60;
    const tickMs = this.options.tickMs ?? 10;
    let credit = 0;
    this.#timers.push(
      setInterval(() => {
        credit += (pps * tickMs) / 1000;
        while (credit >= 1 && track.isOpen()) {
          credit--;
          const frame = Math.floor(n / 4);
          const firstOfFrame = n % 4 === 0;
          packet[1] = (video ? VP8_PT : OPUS_PT) | (video && n % 4 === 3 ? 0x80 : 0);
          rewriteRtp(packet, seq, ts, ssrc);
          const p = 20;
          if (video) {
            // VP8 payload descriptor (S bit on a frame's first packet), then the frame tag (P=0:
            // keyframe), start code and size (RFC 6386 §9.1), which the SFU reads to pick layers.
            const key = firstOfFrame && frame % keyframeEvery === 0;
            packet[p] = firstOfFrame ? 0x10 : 0x00;
            packet[p + 1] = key ? 0x00 : 0x01;
            packet.set(key ? START_CODE : NO_START_CODE, p + 4);
            packet.writeUInt16LE(key ? (size?.width ?? 0) : 0, p + 7);
            packet.writeUInt16LE(key ? (size?.height ?? 0) : 0, p + 9);
          }
          packet.writeBigUInt64BE(process.hrtime.bigint() - MONO_ORIGIN + 1n, p + SENT_AT);
          track.sendMessageBinary(packet);
          seq = (seq + 1) & 0xffff;
          n++;
          if (!video || n % 4 === 0) ts += video ? 3000 : 960;
        }
      }, tickMs),
    );
  }

  #receive(track: Track, packet: Buffer): void {
    const h = this.#header;
    if (isRtcp(packet) || !readRtpHeader(packet, h)) return;
    const { payloadType: pt, ssrc, sequence: seq } = h;
    let s = this.#inbound.get(ssrc);
    if (!s) {
      s = {
        kind: pt === VP8_PT ? 'video' : 'audio',
        highest: seq,
        base: seq,
        started: false,
        seen: new Uint8Array(0x10000),
        unique: 0,
        nacked: 0,
      };
      this.#inbound.set(ssrc, s);
    }
    const prev = s.highest & 0xffff;
    if (!s.started) {
      s.started = true;
      s.highest = seq;
      s.base = seq;
    } else {
      const d = (seq - prev) & 0xffff;
      if (d !== 0 && d < 0x8000) {
        if (d > 1 && d < 64) this.#nack(track, ssrc, prev, d - 1, s);
        s.highest += d;
      }
    }
    if (!s.seen[seq]) {
      s.seen[seq] = 1;
      s.unique++;
    }
    // The payload carries the send time.
    const payload = h.payloadOffset;
    if (packet.length >= payload + SENT_AT + 8 && ++this.#latencyCounter % this.latencySampleEvery === 0) {
      const sent = packet.readBigUInt64BE(payload + SENT_AT);
      if (sent > 0n) {
        const now = process.hrtime.bigint() - MONO_ORIGIN;
        this.#latencies.push(Number(now - sent) / 1e6);
      }
    }
  }

  #nack(track: Track, mediaSsrc: number, last: number, missing: number, s: Inbound): void {
    s.nacked += missing;
    const lost = Array.from({ length: Math.min(missing, 17) }, (_, i) => (last + 1 + i) & 0xffff);
    try {
      track.sendMessageBinary(buildNack(1, mediaSsrc, lost));
    } catch {
      // closed
    }
  }
}
