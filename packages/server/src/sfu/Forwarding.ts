import type { Track } from 'node-datachannel';
import { TokenBucket } from '../util/rateLimit.js';
import { audioLevelByte } from './audioLevel.js';
import { AUDIO_LEVEL_ID, type Kind, OPUS_CLOCK, OPUS_PT, VP8_CLOCK, VP8_PT } from './codecs.js';
import type { LayerInfo } from './layers.js';
import type { MediaEngineStats } from './MediaEngine.js';
import { MissingPackets } from './MissingPackets.js';
import { PacketCache } from './PacketCache.js';
import { ReceptionStats } from './ReceptionStats.js';
import {
  buildNack,
  buildPli,
  buildReceiverReport,
  buildRemb,
  buildSenderReport,
  parseRtcp,
  type ReportBlock,
  type SenderReport,
} from './rtcp.js';
import { MAX_PACKET_BYTES, stripExtensionsInPlace } from './rtp.js';
import { StreamRewriter } from './StreamRewriter.js';
import { isVp8Keyframe, vp8KeyframeSize } from './vp8.js';

/** Least interval between keyframe requests sent to one publisher's layer, however many subscribers ask. */
export const KEYFRAME_REQUEST_INTERVAL_MS = 500;
/** Retransmissions one subscriber may ask for per second (burst, then sustained rate). */
const NACK_BURST = 200;
const NACK_PER_SECOND = 400;
/** NACK messages the engine may send one publisher per second (burst, then sustained rate). */
const UPSTREAM_NACK_BURST = 20;
const UPSTREAM_NACK_PER_SECOND = 50;
/** A layer that sent nothing for this long is not offered to subscribers. */
const LAYER_ACTIVE_MS = 1000;
/** SSRC the engine uses as the sender of its own RTCP (receiver reports, REMB, PLIs). */
const ENGINE_RTCP_SSRC = 1;

/**
 * One encoding of a published track: the whole track without simulcast, one simulcast layer
 * with it. Keeps the cache that answers NACKs and what layer selection needs (size, bitrate).
 */
export class Layer implements LayerInfo {
  readonly cache: PacketCache | undefined;
  height = 0;
  width = 0;
  bitrate = 0;
  lastAt = -Infinity;
  lastKeyframeRequest = -Infinity;
  /** What arrived of this SSRC, for the receiver reports to the publisher. */
  readonly reception: ReceptionStats;
  /** Video: holes in the sequence numbers, NACKed upstream. */
  readonly missing: MissingPackets | undefined;
  #bytes = 0;
  #windowStart = 0;

  constructor(
    readonly ssrc: number,
    readonly index: number,
    video: boolean,
    clockRate: number,
  ) {
    this.cache = video ? new PacketCache(512) : undefined;
    this.reception = new ReceptionStats(clockRate);
    this.missing = video ? new MissingPackets() : undefined;
  }

  get active(): boolean {
    return performance.now() - this.lastAt < LAYER_ACTIVE_MS;
  }

  count(bytes: number, now: number): void {
    this.lastAt = now;
    this.#bytes += bytes;
    const elapsed = now - this.#windowStart;
    if (elapsed >= 1000) {
      this.bitrate = this.#windowStart === 0 ? 0 : (this.#bytes * 8000) / elapsed;
      this.#bytes = 0;
      this.#windowStart = now;
    }
  }
}

/**
 * One published track (a participant's audio or video) as it arrives at the engine. Without
 * simulcast it learns the sender's SSRC from the first packet of the negotiated payload type
 * (one layer); with simulcast the session declares the layers' SSRCs (see PeerSession). Each
 * packet is stripped of its header extensions in place, cached (video) and handed to every
 * subscription, which decides whether its subscriber gets this layer. Nothing on this path
 * allocates except the view that the in-place strip returns.
 */
export class Publication {
  readonly clockRate: number;
  readonly payloadType: number;
  readonly video: boolean;
  /** Subscriptions, as an array replaced on change, so that fan-out iterates without an iterator. */
  #subs: Subscription[] = [];
  /** Layers by index, lowest first. */
  layers: Layer[] = [];
  readonly #bySsrc = new Map<number, Layer>();
  #last: Layer | undefined;
  /** SSRC → layer index declared for simulcast; empty without simulcast. */
  #declared = new Map<number, number>();
  #closed = false;
  readonly #upstreamNacks = new TokenBucket(UPSTREAM_NACK_BURST, UPSTREAM_NACK_PER_SECOND);
  /** Reused for the sequence numbers of one upstream NACK. */
  readonly #nackScratch: number[] = [];

  /** The router's recorder taps (MediaRouter.addTap); called before forwarding rewrites the packet. */
  onRtp: ((packet: Buffer, layer: number, keyframe: boolean) => void) | undefined;

  constructor(
    readonly kind: Kind,
    readonly ownerId: string,
    private readonly track: Track,
    private readonly stats: MediaEngineStats,
    private readonly onAudioLevel: (ownerId: string, level: number) => void,
  ) {
    this.video = kind === 'video';
    this.clockRate = this.video ? VP8_CLOCK : OPUS_CLOCK;
    this.payloadType = this.video ? VP8_PT : OPUS_PT;
  }

  get subscribers(): readonly Subscription[] {
    return this.#subs;
  }

  get simulcast(): boolean {
    return this.#declared.size > 1;
  }

  addSubscriber(sub: Subscription): void {
    if (!this.#subs.includes(sub)) this.#subs = [...this.#subs, sub];
  }

  removeSubscriber(sub: Subscription): void {
    this.#subs = this.#subs.filter((s) => s !== sub);
  }

  /** Simulcast: the SSRC of each layer, lowest first. Replaces any layer learned before. */
  declareLayers(ssrcs: readonly number[]): void {
    this.#declared = new Map(ssrcs.map((ssrc, index) => [ssrc, index]));
    this.layers = [];
    this.#bySsrc.clear();
    this.#last = undefined;
  }

  /** Every decrypted RTP and RTCP packet the publisher sends on this track. */
  receive(packet: Buffer): void {
    const length = packet.length;
    if (length > MAX_PACKET_BYTES) {
      this.stats.dropped.oversized++;
      return;
    }
    const b1 = packet[1] as number;
    if (length >= 8 && b1 >= 192 && b1 <= 223) {
      this.#receiveRtcp(packet);
      return;
    }
    // The RTP header, read inline (parseRtp's result object would be one allocation per packet).
    const b0 = packet[0] as number;
    const csrcEnd = 12 + (b0 & 0x0f) * 4;
    if (length < 12 || b0 >> 6 !== 2 || csrcEnd > length) {
      this.stats.dropped.malformed++;
      return;
    }
    let extensionLength = 0;
    if (b0 & 0x10) {
      if (csrcEnd + 4 > length) {
        this.stats.dropped.malformed++;
        return;
      }
      extensionLength = 4 + (((packet[csrcEnd + 2] as number) << 8) | (packet[csrcEnd + 3] as number)) * 4;
    }
    const payloadOffset = csrcEnd + extensionLength;
    const padding = b0 & 0x20 ? (packet[length - 1] as number) : 0;
    if (payloadOffset + padding > length || (b0 & 0x20 && padding === 0)) {
      this.stats.dropped.malformed++;
      return;
    }
    if ((b1 & 0x7f) !== this.payloadType) {
      this.stats.dropped.payloadType++;
      return;
    }
    this.stats.rtpReceived++;
    const ssrc =
      (((packet[8] as number) << 24) |
        ((packet[9] as number) << 16) |
        ((packet[10] as number) << 8) |
        (packet[11] as number)) >>>
      0;
    let layer = this.#last;
    if (layer === undefined || layer.ssrc !== ssrc) {
      layer = this.#layerFor(ssrc);
      if (!layer) {
        this.stats.dropped.malformed++;
        return;
      }
      this.#last = layer;
    }
    const sequence = ((packet[2] as number) << 8) | (packet[3] as number);
    const timestamp =
      (((packet[4] as number) << 24) |
        ((packet[5] as number) << 16) |
        ((packet[6] as number) << 8) |
        (packet[7] as number)) >>>
      0;
    const now = performance.now();
    layer.count(length, now);
    layer.reception.packet(sequence, timestamp, now);
    if (!this.video) {
      const level = audioLevelByte(packet, extensionLength ? csrcEnd : -1, extensionLength, AUDIO_LEVEL_ID);
      if (level >= 0) this.onAudioLevel(this.ownerId, level & 0x7f);
    }
    const out = stripExtensionsInPlace(packet, csrcEnd, extensionLength);
    let keyframe = false;
    if (this.video) {
      const end = out.length - padding;
      keyframe = isVp8Keyframe(out, csrcEnd, end);
      if (keyframe) {
        const size = vp8KeyframeSize(out, csrcEnd, end);
        if (size) {
          layer.width = size.width;
          layer.height = size.height;
        }
      }
      layer.cache?.put(out, sequence, timestamp, now);
      const missing = layer.missing as MissingPackets;
      if (missing.packet(sequence, now)) this.#nackUpstream(layer, missing, now);
    }
    this.onRtp?.(out, layer.index, keyframe);
    const subs = this.#subs;
    for (let i = 0; i < subs.length; i++)
      (subs[i] as Subscription).forward(out, layer, sequence, timestamp, keyframe, now);
  }

  layer(index: number): Layer | undefined {
    return this.layers[index];
  }

  layerBySsrc(ssrc: number): Layer | undefined {
    return this.#bySsrc.get(ssrc);
  }

  /**
   * Asks the publisher for a keyframe of one layer, at most once per KEYFRAME_REQUEST_INTERVAL_MS:
   * a PLI for that layer's SSRC, behind a receiver report (RTCP goes out compound, RFC 3550 §6.1).
   * Before the layer's first packet its SSRC is unknown and there is nothing to ask.
   */
  requestKeyframe(index = 0): void {
    if (!this.video || this.#closed) return;
    const layer = this.layers[index] ?? this.layers[0];
    if (!layer) return;
    const now = performance.now();
    if (now - layer.lastKeyframeRequest < KEYFRAME_REQUEST_INTERVAL_MS) return;
    layer.lastKeyframeRequest = now;
    if (
      this.#send(
        Buffer.concat([buildReceiverReport(ENGINE_RTCP_SSRC, []), buildPli(ENGINE_RTCP_SSRC, layer.ssrc)]),
      )
    )
      this.stats.keyframeRequests++;
  }

  /**
   * The engine's periodic RTCP to the publisher: a receiver report on each of its SSRCs and, for
   * video, a REMB of `bitsPerSecond` (the rate Chromium may ramp up to: without transport-cc its
   * estimate is loss-based, from these reports, and capped by the REMB).
   */
  sendReports(bitsPerSecond: number, now = performance.now()): void {
    if (this.#closed) return;
    const blocks: ReportBlock[] = [];
    for (const layer of this.layers) {
      const block = layer?.reception.report(layer.ssrc, now);
      if (block) blocks.push(block);
    }
    if (blocks.length === 0) return;
    const rr = buildReceiverReport(ENGINE_RTCP_SSRC, blocks);
    const packet = this.video
      ? Buffer.concat([
          rr,
          buildRemb(
            ENGINE_RTCP_SSRC,
            bitsPerSecond,
            blocks.map((b) => b.ssrc),
          ),
        ])
      : rr;
    if (this.#send(packet)) this.stats.receiverReports++;
  }

  /**
   * Asks the publisher again for packets that never reached the engine (loss on its uplink), so
   * that the cache can answer the subscribers' NACKs and late packets reach them all.
   */
  #nackUpstream(layer: Layer, missing: MissingPackets, now: number): void {
    const sequences = this.#nackScratch;
    sequences.length = 0;
    missing.due(now, sequences);
    if (sequences.length === 0) return;
    if (!this.#upstreamNacks.take()) {
      this.stats.dropped.nackRateLimited++;
      return;
    }
    const packet = Buffer.concat([
      buildReceiverReport(ENGINE_RTCP_SSRC, []),
      buildNack(ENGINE_RTCP_SSRC, layer.ssrc, sequences),
    ]);
    if (this.#send(packet)) this.stats.nacksSent += sequences.length;
  }

  /** Sends RTCP to the publisher; false when the track is not open (or closed underneath). */
  #send(packet: Buffer): boolean {
    if (!this.track.isOpen()) return false;
    try {
      return this.track.sendMessageBinary(packet);
    } catch {
      return false;
    }
  }

  /**
   * The publisher's RTCP. Sender reports matter: each one ties an SSRC's RTP timestamps to the
   * sender's wall clock, which is what lets a receiver play that participant's audio and video in
   * sync; every subscription currently fed by that SSRC passes it on in its own timestamp space.
   */
  #receiveRtcp(packet: Buffer): void {
    this.stats.rtcpReceived++;
    const rtcp = parseRtcp(packet);
    if (rtcp.malformed) this.stats.dropped.malformed++;
    if (rtcp.senderReports.length === 0) return;
    const now = performance.now();
    for (const sr of rtcp.senderReports) {
      const layer = this.#bySsrc.get(sr.ssrc);
      if (!layer) continue;
      layer.reception.senderReport(sr.ntpSeconds, sr.ntpFraction, now);
      const subs = this.#subs;
      for (let i = 0; i < subs.length; i++) (subs[i] as Subscription).relaySenderReport(layer.ssrc, sr);
    }
  }

  close(): void {
    this.#closed = true;
    for (const sub of this.#subs) sub.close();
    for (const layer of this.layers) layer.cache?.clear();
  }

  #layerFor(ssrc: number): Layer | undefined {
    const known = this.#bySsrc.get(ssrc);
    if (known) return known;
    if (this.#declared.size > 0) {
      const index = this.#declared.get(ssrc);
      if (index === undefined) return undefined;
      const layer = new Layer(ssrc, index, this.video, this.clockRate);
      this.#bySsrc.set(ssrc, layer);
      this.layers[index] = layer;
      // Holes (a layer not seen yet) stay undefined until its first packet.
      return layer;
    }
    // Without simulcast a new SSRC means the publisher restarted its stream: the old layer and its
    // cache (another sequence space) go.
    const layer = new Layer(ssrc, 0, this.video, this.clockRate);
    this.#bySsrc.clear();
    this.#bySsrc.set(ssrc, layer);
    this.layers = [layer];
    return layer;
  }
}

/**
 * One publication forwarded to one subscriber on its own send track and SSRC: picks the layer
 * (switching only on a keyframe of the target layer), rewrites each packet's sequence number,
 * timestamp and SSRC into the subscriber's continuous stream, answers the subscriber's NACKs from
 * the layer's cache and passes its keyframe requests and bandwidth estimates on.
 */
export class Subscription {
  readonly rewriter: StreamRewriter;
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

  constructor(
    readonly publication: Publication,
    readonly track: Track,
    readonly ssrc: number,
    private readonly stats: MediaEngineStats,
    /** The subscriber's bandwidth estimate (REMB), bits/s. */
    private readonly onBandwidth: (bitsPerSecond: number) => void = () => {},
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

  forward(
    packet: Buffer,
    layer: Layer,
    sequence: number,
    timestamp: number,
    keyframe: boolean,
    now: number,
  ): void {
    if (!this.#open) {
      // isOpen() is a native call; made only until the track opens.
      if (this.#closed || !this.track.isOpen()) return;
      this.#open = true;
      // A new viewer can decode nothing until the next keyframe.
      if (this.publication.video && this.#target >= 0) this.publication.requestKeyframe(this.#target);
    }
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
    const out = this.rewriter.rewrite(layer.ssrc, sequence, timestamp, now);
    if (!out) {
      this.stats.dropped.stale++;
      return;
    }
    const seq = out.sequence;
    const ts = out.timestamp;
    const ssrc = this.ssrc;
    packet[2] = seq >>> 8;
    packet[3] = seq & 0xff;
    packet[4] = ts >>> 24;
    packet[5] = (ts >>> 16) & 0xff;
    packet[6] = (ts >>> 8) & 0xff;
    packet[7] = ts & 0xff;
    packet[8] = ssrc >>> 24;
    packet[9] = (ssrc >>> 16) & 0xff;
    packet[10] = (ssrc >>> 8) & 0xff;
    packet[11] = ssrc & 0xff;
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
   * wall-clock (NTP) time, its RTP timestamp mapped into this stream's timestamp space, this
   * stream's own packet and octet counts.
   */
  relaySenderReport(source: number, sr: SenderReport): void {
    if (!this.#open || this.rewriter.source !== source) return;
    const packet = buildSenderReport(
      this.ssrc,
      sr.ntpSeconds,
      sr.ntpFraction,
      this.rewriter.outTimestamp(sr.rtpTimestamp),
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
    if (this.#closed && !this.#open) {
      this.publication.removeSubscriber(this);
      return;
    }
    this.#closed = true;
    this.#open = false;
    this.publication.removeSubscriber(this);
  }

  #receiveRtcp(packet: Buffer): void {
    if (this.#closed || packet.length > MAX_PACKET_BYTES) return;
    const b1 = packet[1] as number;
    if (packet.length < 8 || b1 < 192 || b1 > 223) return;
    this.stats.rtcpReceived++;
    const rtcp = parseRtcp(packet);
    if (rtcp.malformed) this.stats.dropped.malformed++;
    if (rtcp.remb >= 0) this.onBandwidth(rtcp.remb);
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
        p.writeUInt16BE(seq, 2);
        p.writeUInt32BE(this.rewriter.outTimestamp(cached.timestamp), 4);
        p.writeUInt32BE(this.ssrc, 8);
        try {
          if (this.track.sendMessageBinary(p)) this.stats.retransmitted++;
        } catch {
          return;
        }
      }
    }
  }
}
