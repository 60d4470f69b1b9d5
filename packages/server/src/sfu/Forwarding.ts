import type { Track } from 'node-datachannel';
import { TokenBucket } from '../util/rateLimit.js';
import { readAudioLevel } from './audioLevel.js';
import { AUDIO_LEVEL_ID, type Kind, OPUS_CLOCK, OPUS_PT, VP8_CLOCK, VP8_PT } from './codecs.js';
import type { MediaEngineStats } from './MediaEngine.js';
import { PacketCache } from './PacketCache.js';
import { parseRtcp } from './rtcp.js';
import { isRtcp, MAX_PACKET_BYTES, parseRtp, rewriteRtp, withoutExtensions } from './rtp.js';
import { StreamRewriter } from './StreamRewriter.js';

/** Least interval between keyframe requests sent to one publisher, however many subscribers ask. */
export const KEYFRAME_REQUEST_INTERVAL_MS = 500;
/** Retransmissions one subscriber may ask for per second (burst, then sustained rate). */
const NACK_BURST = 200;
const NACK_PER_SECOND = 400;

/**
 * One published track (a participant's audio or video) as it arrives at the engine: it learns
 * the sender's SSRC from the first packet of the negotiated payload type, keeps a short packet
 * cache for retransmissions (video), and hands each packet to every subscription.
 */
export class Publication {
  readonly subscribers = new Set<Subscription>();
  readonly clockRate: number;
  readonly payloadType: number;
  readonly cache: PacketCache | undefined;
  #lastKeyframeRequest = -Infinity;
  #ssrc: number | undefined;

  constructor(
    readonly kind: Kind,
    readonly ownerId: string,
    private readonly track: Track,
    private readonly stats: MediaEngineStats,
    private readonly onAudioLevel: (ownerId: string, level: number) => void,
  ) {
    this.clockRate = kind === 'audio' ? OPUS_CLOCK : VP8_CLOCK;
    this.payloadType = kind === 'audio' ? OPUS_PT : VP8_PT;
    this.cache = kind === 'video' ? new PacketCache(512) : undefined;
  }

  /** Every decrypted RTP and RTCP packet the publisher sends on this track. */
  receive(packet: Buffer): void {
    if (packet.length > MAX_PACKET_BYTES) {
      this.stats.dropped.oversized++;
      return;
    }
    if (isRtcp(packet)) {
      this.stats.rtcpReceived++;
      return;
    }
    const header = parseRtp(packet);
    if (!header) {
      this.stats.dropped.malformed++;
      return;
    }
    if (header.payloadType !== this.payloadType) {
      this.stats.dropped.payloadType++;
      return;
    }
    this.stats.rtpReceived++;
    if (header.ssrc !== this.#ssrc) {
      // The publisher restarted its stream: old cached packets belong to another sequence space.
      this.#ssrc = header.ssrc;
      this.cache?.clear();
    }
    if (this.kind === 'audio') {
      const level = readAudioLevel(packet, header, AUDIO_LEVEL_ID);
      if (level) this.onAudioLevel(this.ownerId, level.level);
    }
    const out = withoutExtensions(packet, header);
    const now = performance.now();
    this.cache?.put({ packet: out, sequence: header.sequence, timestamp: header.timestamp, at: now });
    for (const sub of this.subscribers) sub.forward(out, header.ssrc, header.sequence, header.timestamp, now);
  }

  /** Asks the publisher for a keyframe, at most once per KEYFRAME_REQUEST_INTERVAL_MS. */
  requestKeyframe(): void {
    // requestKeyframe() on a track that is not open throws inside libdatachannel, where node-datachannel
    // does not catch it and the process aborts; so never call it then.
    if (this.kind !== 'video' || !this.track.isOpen()) return;
    const now = performance.now();
    if (now - this.#lastKeyframeRequest < KEYFRAME_REQUEST_INTERVAL_MS) return;
    this.#lastKeyframeRequest = now;
    this.stats.keyframeRequests++;
    // With RtcpReceivingSession in the chain, raw PLIs from the app did not reach Chromium; this does.
    this.track.requestKeyframe();
  }

  requestBitrate(bitsPerSecond: number): void {
    // Same abort hazard as requestKeyframe().
    if (this.kind === 'video' && this.track.isOpen()) this.track.requestBitrate(bitsPerSecond);
  }

  close(): void {
    for (const sub of [...this.subscribers]) sub.close();
    this.cache?.clear();
  }
}

/**
 * One publication forwarded to one subscriber on its own send track and SSRC: rewrites each
 * packet's sequence number, timestamp and SSRC into the subscriber's continuous stream, answers
 * the subscriber's NACKs from the publication's cache and passes its keyframe requests upstream.
 */
export class Subscription {
  readonly rewriter: StreamRewriter;
  #open = false;
  #closed = false;
  readonly #nackBucket = new TokenBucket(NACK_BURST, NACK_PER_SECOND);

  constructor(
    readonly publication: Publication,
    readonly track: Track,
    readonly ssrc: number,
    private readonly stats: MediaEngineStats,
  ) {
    this.rewriter = new StreamRewriter(publication.clockRate);
    publication.subscribers.add(this);
    track.onOpen(() => {
      this.#open = !this.#closed;
      // A new viewer can decode nothing until the next keyframe.
      if (this.#open) publication.requestKeyframe();
    });
    track.onClosed(() => {
      this.#open = false;
    });
    track.onMessage((packet) => this.#receiveRtcp(packet));
  }

  forward(packet: Buffer, source: number, sequence: number, timestamp: number, now: number): void {
    if (!this.#open) return;
    const out = this.rewriter.rewrite(source, sequence, timestamp, now);
    if (!out) {
      this.stats.dropped.stale++;
      return;
    }
    rewriteRtp(packet, out.sequence, out.timestamp, this.ssrc);
    if (this.track.sendMessageBinary(packet)) this.stats.rtpForwarded++;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#open = false;
    this.publication.subscribers.delete(this);
  }

  #receiveRtcp(packet: Buffer): void {
    if (this.#closed || packet.length > MAX_PACKET_BYTES || !isRtcp(packet)) return;
    this.stats.rtcpReceived++;
    const rtcp = parseRtcp(packet);
    if (rtcp.malformed) this.stats.dropped.malformed++;
    if (rtcp.keyframeFor.includes(this.ssrc)) this.publication.requestKeyframe();
    const cache = this.publication.cache;
    for (const nack of rtcp.nacks) {
      if (nack.ssrc !== this.ssrc || !cache) continue;
      const now = performance.now();
      for (const seq of nack.sequences) {
        this.stats.nacksReceived++;
        if (!this.#nackBucket.take()) {
          this.stats.dropped.nackRateLimited++;
          continue;
        }
        const source = this.rewriter.sourceSequence(seq);
        const cached = source === undefined ? undefined : cache.get(source, now);
        if (!cached) {
          this.stats.nackMisses++;
          continue;
        }
        rewriteRtp(cached.packet, seq, this.rewriter.outTimestamp(cached.timestamp), this.ssrc);
        if (this.track.sendMessageBinary(cached.packet)) this.stats.retransmitted++;
      }
    }
  }
}
