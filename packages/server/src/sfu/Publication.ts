import type { TrackSource } from '@conclave/protocol';
import { TokenBucket } from '../util/rateLimit.js';
import { audioLevelByte } from './audioLevel.js';
import { AUDIO_LEVEL_ID, type Kind, OPUS_CLOCK, OPUS_PT, VP8_CLOCK, VP8_PT } from './codecs.js';
import { Layer } from './Layer.js';
import type { MediaEngineStats } from './MediaEngine.js';
import type { MissingPackets } from './MissingPackets.js';
import { buildNack, buildPli, buildReceiverReport, buildRemb, parseRtcp, type ReportBlock } from './rtcp.js';
import { isRtcp, MAX_PACKET_BYTES, readRtpHeader, rtpHeader, stripExtensionsInPlace } from './rtp.js';
import type { DownTrack, MediaTrack, UpTrack } from './tracks.js';
import { isVp8Keyframe, NO_VP8_IDS, readVp8Ids, type Vp8Ids, vp8Ids, vp8KeyframeSize } from './vp8.js';

/** Least interval between keyframe requests sent to one publisher's layer, however many subscribers ask. */
export const KEYFRAME_REQUEST_INTERVAL_MS = 500;
/** NACK messages the engine may send one publisher per second (burst, then sustained rate). */
const UPSTREAM_NACK_BURST = 20;
const UPSTREAM_NACK_PER_SECOND = 50;
/** SSRC the engine uses as the sender of its own RTCP (receiver reports, REMB, PLIs). */
export const ENGINE_RTCP_SSRC = 1;

/**
 * One published track (a participant's audio or video) as it arrives at the engine: the up side
 * of forwarding. Without simulcast it learns the sender's SSRC from the first packet of the
 * negotiated payload type (one layer); with simulcast the session declares the layers' SSRCs
 * (see LayerReport). Each packet is stripped of its header extensions in place, cached (video) and
 * handed to every subscriber (DownTrack), which decides whether its viewer gets this layer.
 * Nothing on this path allocates except the view that the in-place strip returns.
 */
export class Publication implements UpTrack {
  readonly clockRate: number;
  readonly payloadType: number;
  readonly video: boolean;
  /** Subscribers, as an array replaced on change, so that fan-out iterates without an iterator. */
  #subs: DownTrack[] = [];
  /** Layers by index, lowest first; a declared layer not seen yet is a hole. */
  layers: (Layer | undefined)[] = [];
  readonly #bySsrc = new Map<number, Layer>();
  #last: Layer | undefined;
  /** SSRC → layer index declared for simulcast; empty without simulcast. */
  #declared = new Map<number, number>();
  #closed = false;
  readonly #upstreamNacks = new TokenBucket(UPSTREAM_NACK_BURST, UPSTREAM_NACK_PER_SECOND);
  /** Reused for the sequence numbers of one upstream NACK. */
  readonly #nackScratch: number[] = [];
  /** Refilled by every packet: reading the header allocates nothing. */
  readonly #header = rtpHeader();
  /** The same for a video packet's VP8 PictureID and TL0PICIDX. */
  readonly #vp8 = vp8Ids();

  /** The router's recorder taps (MediaRouter.addTap); called before forwarding rewrites the packet. */
  onRtp: ((packet: Buffer, layer: number, keyframe: boolean) => void) | undefined;
  /** The same taps: a sender report of one of this track's layers (after `Layer` took it). */
  onSenderReport: ((layer: Layer) => void) | undefined;

  constructor(
    readonly kind: Kind,
    readonly ownerId: string,
    /** The receive track: the publisher's media arrives on it, the engine's RTCP to it leaves on it. */
    private readonly track: MediaTrack,
    private readonly stats: MediaEngineStats,
    private readonly onAudioLevel: (ownerId: string, level: number) => void,
    /** A camera/microphone track, or a shared screen's (one layer, always forwarded, own mids). */
    readonly source: TrackSource = 'camera',
  ) {
    this.video = kind === 'video';
    this.clockRate = this.video ? VP8_CLOCK : OPUS_CLOCK;
    this.payloadType = this.video ? VP8_PT : OPUS_PT;
  }

  get subscribers(): readonly DownTrack[] {
    return this.#subs;
  }

  get simulcast(): boolean {
    return this.#declared.size > 1;
  }

  addSubscriber(sub: DownTrack): void {
    if (!this.#subs.includes(sub)) this.#subs = [...this.#subs, sub];
  }

  removeSubscriber(sub: DownTrack): void {
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
    if (packet.length > MAX_PACKET_BYTES) {
      this.stats.dropped.oversized++;
      return;
    }
    if (isRtcp(packet)) {
      this.#receiveRtcp(packet);
      return;
    }
    const h = this.#header;
    if (!readRtpHeader(packet, h)) {
      this.stats.dropped.malformed++;
      return;
    }
    if (h.payloadType !== this.payloadType) {
      this.stats.dropped.payloadType++;
      return;
    }
    this.stats.rtpReceived++;
    const ssrc = h.ssrc;
    let layer = this.#last;
    if (layer === undefined || layer.ssrc !== ssrc) {
      layer = this.#layerFor(ssrc);
      if (!layer) {
        this.stats.dropped.malformed++;
        return;
      }
      this.#last = layer;
    }
    const sequence = h.sequence;
    const timestamp = h.timestamp;
    const now = performance.now();
    layer.count(packet.length, now);
    layer.reception.packet(sequence, timestamp, now);
    if (!this.video) {
      const level = audioLevelByte(packet, h.extensionOffset, h.extensionLength, AUDIO_LEVEL_ID);
      if (level >= 0) this.onAudioLevel(this.ownerId, level & 0x7f);
    }
    const csrcEnd = h.csrcEnd;
    const out = stripExtensionsInPlace(packet, csrcEnd, h.extensionLength);
    let keyframe = false;
    let vp8: Readonly<Vp8Ids> = NO_VP8_IDS;
    if (this.video) {
      const end = out.length - h.padding;
      vp8 = this.#vp8;
      readVp8Ids(out, csrcEnd, end, this.#vp8);
      keyframe = isVp8Keyframe(out, csrcEnd, end);
      if (keyframe) {
        const size = vp8KeyframeSize(out, csrcEnd, end);
        if (size) {
          layer.width = size.width;
          layer.height = size.height;
        }
      }
      layer.cache?.put(out, sequence, timestamp, now, vp8.pictureId, vp8.tl0PicIdx);
      const missing = layer.missing as MissingPackets;
      if (missing.packet(sequence, now)) this.#nackUpstream(layer, missing, now);
    }
    this.onRtp?.(out, layer.index, keyframe);
    const subs = this.#subs;
    for (let i = 0; i < subs.length; i++)
      (subs[i] as DownTrack).forward(out, layer, sequence, timestamp, keyframe, now, vp8);
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
    const lost = missing.due(now, sequences);
    if (lost > 0) {
      // Without that packet no subscriber decodes on until a keyframe; left to them, a Chromium
      // receiver asks for one only once its frame buffer has waited 3 s for a decodable frame.
      this.stats.upstreamLost += lost;
      this.requestKeyframe(layer.index);
    }
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
      layer.senderReport(sr);
      this.onSenderReport?.(layer);
      const subs = this.#subs;
      for (let i = 0; i < subs.length; i++) (subs[i] as DownTrack).relaySenderReport(layer.ssrc, sr);
    }
  }

  close(): void {
    this.#closed = true;
    for (const sub of this.#subs) sub.close();
    for (const layer of this.layers) layer?.cache?.clear();
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
