import { TokenBucket } from '../util/rateLimit.js';
import type { Layer } from './Layer.js';
import type { MediaEngineStats } from './MediaEngine.js';
import { buildSenderReport, ntpMs, parseRtcp, type ReportBlock, type SenderReport } from './rtcp.js';
import { isRtcp, MAX_PACKET_BYTES, RTP_FIXED_HEADER, rewriteRtp } from './rtp.js';
import { StreamRewriter } from './StreamRewriter.js';
import type { DownTrack, MediaTrack, UpTrack } from './tracks.js';
import { Vp8IdRewriter } from './Vp8IdRewriter.js';
import { readVp8Ids, type Vp8Ids, vp8Ids } from './vp8.js';

/** What a subscriber's RTCP says about its downlink, passed up to its session. */
export interface DownlinkFeedback {
  /** Its bandwidth estimate (REMB), bits/s. */
  remb(bitsPerSecond: number): void;
  /**
   * Its reception of one stream since its previous report of it: `expected` packets, of which `lost`
   * net of those recovered (negative when retransmissions filled gaps reported before).
   */
  reception(lost: number, expected: number): void;
}

const NO_FEEDBACK: DownlinkFeedback = { remb: () => {}, reception: () => {} };

/** More packets than this between two reports of one stream is a bogus report, not reception. */
const MAX_PACKETS_PER_REPORT = 100_000;

/** Retransmissions one subscriber may ask for per second (burst, then sustained rate). */
const NACK_BURST = 200;
const NACK_PER_SECOND = 400;

/**
 * One publication forwarded to one subscriber on its own send track and SSRC: the down side of
 * forwarding. Picks the layer (switching only on a keyframe of the target layer), rewrites each
 * packet's sequence number, timestamp and SSRC into the subscriber's continuous stream, answers
 * the subscriber's NACKs from the layer's cache and passes its keyframe requests, bandwidth
 * estimates and loss reports on.
 */
export class Subscription implements DownTrack {
  readonly rewriter: StreamRewriter;
  /** A video stream's VP8 ids, continuous across its sources like its sequence numbers. */
  readonly #vp8 = new Vp8IdRewriter();
  /** Where a retransmitted packet's VP8 ids sit. */
  readonly #retransmitted = vp8Ids();
  /** Layer index forwarded now; -1 while waiting for a keyframe (or paused). */
  #current: number;
  /** Layer index wanted; -1 = paused (hidden tile, last-N). */
  #target: number;
  #open = false;
  #closed = false;
  /** Sent on this stream, for its sender reports. */
  #packetsSent = 0;
  #octetsSent = 0;
  readonly #nackBucket = new TokenBucket(NACK_BURST, NACK_PER_SECOND);
  /** Extended highest sequence number in the subscriber's last report of this stream; -1 before. */
  #reportedHighest = -1;
  /** Cumulative number of packets lost in that report. */
  #reportedLost = 0;

  constructor(
    readonly publication: UpTrack,
    /** The send track to the subscriber: forwarded media leaves on it, the subscriber's RTCP arrives on it. */
    private readonly track: MediaTrack,
    readonly ssrc: number,
    private readonly stats: MediaEngineStats,
    private readonly feedback: DownlinkFeedback = NO_FEEDBACK,
  ) {
    this.rewriter = new StreamRewriter(publication.clockRate);
    // Audio flows at once; video starts on a keyframe of the lowest layer until told otherwise.
    this.#current = publication.video ? -1 : 0;
    this.#target = 0;
    publication.addSubscriber(this);
    // No onOpen/onClosed callbacks: each one is a thread-safe function, i.e. one more uv_async
    // handle that libuv walks on *every* wake-up of the loop. Openness is polled until first true.
    track.onMessage((packet) => this.#receiveRtcp(packet));
  }

  get currentLayer(): number {
    return this.#current;
  }

  /** Payload octets sent on this stream so far. */
  get octetsSent(): number {
    return this.#octetsSent;
  }

  get targetLayer(): number {
    return this.#target;
  }

  /** Sets the layer to forward (-1 pauses); a switch happens at the target layer's next keyframe. */
  setTarget(index: number): void {
    if (!this.publication.video || index === this.#target) return;
    this.#target = index;
    if (index < 0) {
      this.#current = -1;
      return;
    }
    if (index !== this.#current && this.#open) this.publication.requestKeyframe(index);
  }

  /**
   * The subscriber's connection is up: the stream opens and asks for the keyframe its viewer needs
   * now, not at the publication's next packet, which comes a frame interval later at best and, from
   * a loaded publisher, after gaps of 100–400 ms (bench/join-time). Without an open track yet (its
   * opening may trail the connection's state), the next packet does it, as before.
   */
  connected(): void {
    if (!this.#open) this.#opening();
  }

  /**
   * Opens the stream once its track is (isOpen() is a native call, made only until then): a new
   * viewer can decode nothing until the next keyframe, so it asks for one. False while not open.
   */
  #opening(): boolean {
    if (this.#closed || !this.track.isOpen()) return false;
    this.#open = true;
    if (this.publication.video && this.#target >= 0) this.publication.requestKeyframe(this.#target);
    return true;
  }

  forward(
    packet: Buffer,
    layer: Layer,
    sequence: number,
    timestamp: number,
    keyframe: boolean,
    now: number,
    vp8: Readonly<Vp8Ids>,
  ): void {
    if (!this.#open && !this.#opening()) return;
    if (layer.index !== this.#current) {
      if (layer.index !== this.#target) return;
      if (!keyframe) {
        // Waiting for a keyframe of the target layer; the request is rate-limited per layer, and a
        // keyframe that another subscriber's request brought may have passed before this one opened.
        this.publication.requestKeyframe(layer.index);
        return;
      }
      this.#current = layer.index;
    }
    // The layer is also its publisher's clock: a switch keeps the stream's timestamps on it.
    const out = this.rewriter.rewrite(layer.ssrc, sequence, timestamp, now, layer);
    if (!out) {
      this.stats.dropped.stale++;
      return;
    }
    rewriteRtp(packet, out.sequence, out.timestamp, this.ssrc);
    this.#vp8.rewrite(layer.ssrc, vp8, packet);
    try {
      if (this.track.sendMessageBinary(packet)) {
        this.stats.rtpForwarded++;
        this.#packetsSent++;
        this.#octetsSent += packet.length - 12;
      }
    } catch {
      // The track closed underneath (peer gone): the session's state change cleans up.
      this.#open = false;
      this.#closed = true;
    }
  }

  /**
   * Passes the publisher's sender report for `source` on, if that SSRC feeds this stream now: same
   * wall-clock (NTP) time, its RTP timestamp mapped into this stream's timestamp space (with the
   * offset its packets get, so the report maps them to their capture time), this stream's own
   * packet and octet counts. Reports of a layer not forwarded now would state another offset.
   */
  relaySenderReport(source: number, sr: SenderReport): void {
    if (!this.#open || this.rewriter.source !== source) return;
    const packet = buildSenderReport(
      this.ssrc,
      sr.ntpSeconds,
      sr.ntpFraction,
      this.rewriter.senderReport(ntpMs(sr.ntpSeconds, sr.ntpFraction), sr.rtpTimestamp),
      this.#packetsSent,
      this.#octetsSent,
    );
    try {
      if (this.track.sendMessageBinary(packet)) this.stats.senderReportsRelayed++;
    } catch {
      // Closed underneath; forward() notices too.
    }
  }

  close(): void {
    this.#closed = true;
    this.#open = false;
    this.publication.removeSubscriber(this);
  }

  /**
   * The packets expected since the previous report are the growth of the extended highest
   * sequence number; those lost, the growth of the cumulative number lost. That number goes down
   * again when a retransmission fills a gap, unlike the report's fraction lost, which counts every
   * gap open at the moment of the report (and a receiver reports right when it asks for a
   * retransmission): so only what stayed lost counts, not the packets a NACK recovered, nor those the
   * SFU had not received yet from a lossy publisher. A report that does not move the highest
   * sequence forward (a repeat, one delivered twice) says nothing new.
   */
  #reception(block: ReportBlock): void {
    const previous = this.#reportedHighest;
    const expected = (block.highestSequence - previous) >>> 0;
    if (previous >= 0 && expected > MAX_PACKETS_PER_REPORT) return;
    // 24-bit signed counter: the difference, wrapped to the same width.
    const lost = ((block.cumulativeLost - this.#reportedLost) << 8) >> 8;
    this.#reportedHighest = block.highestSequence;
    this.#reportedLost = block.cumulativeLost;
    if (previous < 0 || expected === 0) return;
    this.feedback.reception(lost, expected);
  }

  #receiveRtcp(packet: Buffer): void {
    if (this.#closed || packet.length > MAX_PACKET_BYTES || !isRtcp(packet)) return;
    this.stats.rtcpReceived++;
    const rtcp = parseRtcp(packet);
    if (rtcp.malformed) this.stats.dropped.malformed++;
    if (rtcp.remb >= 0) {
      this.stats.rembReceived++;
      this.feedback.remb(rtcp.remb);
    }
    for (const block of rtcp.reportBlocks) if (block.ssrc === this.ssrc) this.#reception(block);
    if (rtcp.keyframeFor.includes(this.ssrc) && this.#target >= 0)
      this.publication.requestKeyframe(this.#target);
    for (const nack of rtcp.nacks) {
      if (nack.ssrc !== this.ssrc) continue;
      const source = this.rewriter.source;
      const cache = source === undefined ? undefined : this.publication.layerBySsrc(source)?.cache;
      if (!cache) continue;
      const now = performance.now();
      for (const seq of nack.sequences) {
        this.stats.nacksReceived++;
        if (!this.#nackBucket.take()) {
          this.stats.dropped.nackRateLimited++;
          continue;
        }
        const sourceSeq = this.rewriter.sourceSequence(seq);
        const cached = sourceSeq === undefined ? undefined : cache.get(sourceSeq, now);
        if (!cached) {
          this.stats.nackMisses++;
          continue;
        }
        const p = cached.packet;
        rewriteRtp(p, seq, this.rewriter.outTimestamp(cached.timestamp), this.ssrc);
        // Cached with extensions stripped: the payload descriptor follows the CSRCs.
        const ids = this.#retransmitted;
        readVp8Ids(p, RTP_FIXED_HEADER + ((p[0] as number) & 0x0f) * 4, p.length, ids);
        ids.pictureId = ids.pictureIdAt < 0 ? -1 : cached.pictureId;
        ids.tl0PicIdx = ids.tl0PicIdxAt < 0 ? -1 : cached.tl0PicIdx;
        this.#vp8.rewriteAgain(ids, p);
        try {
          if (this.track.sendMessageBinary(p)) this.stats.retransmitted++;
        } catch {
          return;
        }
      }
    }
  }
}
