import { randomBytes } from 'node:crypto';
import ndc, { type PeerConnection, type Track } from 'node-datachannel';
import { errorFields, type Logger } from '../log/logger.js';
import { announceCandidate, announceSdp, describeAudio, describeVideo, type Kind } from './codecs.js';
import { Publication, Subscription } from './Forwarding.js';
import { selectLayer } from './layers.js';
import type { MediaEngineStats, MediaSession, MediaSessionEvents, MediaSignal } from './MediaEngine.js';
import {
  answerPublishes,
  answerSendsSimulcast,
  declareSsrcs,
  offerSimulcast,
  stripSimulcast,
  takeCandidates,
} from './sdp.js';

export interface PeerSessionContext {
  port: number;
  bindAddress: string;
  announcedAddress: string;
  /** Bitrate announced to publishers with REMB, so Chromium ramps its video up to it. */
  maxVideoBitrate: number;
  /** A session whose ICE/DTLS is not up by then is closed. */
  connectTimeoutMs: number;
  /** Ask publishers for three simulcast layers on `pv` (config `media.simulcast`); absent = off. */
  simulcast?: boolean;
  stats: MediaEngineStats;
  log: Logger;
  onAudioLevel(participantId: string, level: number): void;
  /** The participant started or stopped publishing `kind` (from its answers). */
  onPublishing(session: PeerSession, kind: Kind, publishing: boolean): void;
  /** The participant sent new video constraints: tile sizes and whom it pins (last-N, send heights). */
  onVideoConstraints?(session: PeerSession): void;
  /** Called once, when the session has closed for whatever reason. */
  onClosed(session: PeerSession): void;
  /** The participant answered with simulcast but never reported its layers (see #awaitLayers). */
  onLayersUnreported?(session: PeerSession): void;
}

/** The mids of the two m-lines on which a participant publishes; the client looks for them. */
export const PUBLISH_MIDS: Record<Kind, string> = { audio: 'pa', video: 'pv' };

/** Receiver reports (and REMB) to the publisher: once a second, as libwebrtc does for video. */
const REPORT_INTERVAL_MS = 1000;
/** Changes within this window (several joins, publishers appearing) go out in one offer. */
export const NEGOTIATION_BATCH_MS = 30;
/** How often each session re-chooses the simulcast layer of every video it receives. */
const ALLOCATE_INTERVAL_MS = 500;
/** Simulcast layers the client may report, lowest first. */
export const SIMULCAST_RIDS = ['l', 'm', 'h'] as const;
/** Layer selection may use this multiple of a subscriber's REMB share (see #allocateOne). */
const REMB_HEADROOM = 2;
/** ID of the rid header extension in simulcast offers (free in the BUNDLE group: audio level is 1). */
const RID_EXTENSION_ID = 4;
/** Height assumed for a video whose tile size the subscriber has not reported: the best layer. */
export const DEFAULT_MAX_HEIGHT = 10_000;
/** Candidates kept while the first answer is still on its way; a browser gathers a handful. */
const MAX_EARLY_CANDIDATES = 32;
/**
 * How long after connecting a simulcast publisher has to report its layers' SSRCs before its
 * session is replaced by one without simulcast. Conclave's client reports within a second (it
 * polls getStats every 100 ms until then); a client that never reports would otherwise send video
 * the library drops for the whole meeting.
 */
export const LAYER_REPORT_WAIT_MS = 5000;

/**
 * The server side of one participant's PeerConnection. The engine is always the offerer: the first
 * offer has two receive-only m-lines (`pa`, `pv`) for what the participant publishes and one
 * send-only pair per other participant; when people come and go the session renegotiates, one
 * offer at a time.
 */
export class PeerSession implements MediaSession {
  readonly publications: Record<Kind, Publication>;
  readonly #pc: PeerConnection;
  // JS references to every Track: an unreferenced one stopped delivering onMessage.
  readonly #tracks: Track[] = [];
  readonly #subscriptions = new Map<Publication, Subscription>();
  readonly #toSubscribe = new Set<Publication>();
  /** Kinds this participant publishes, from its last answer. */
  readonly #publishing = new Set<Kind>();
  /** Simulcast: the SSRCs of the participant's video layers (reported by the client), lowest first. */
  #layerSsrcs: number[] = [];
  /** Its answer sends simulcast and the layers are not reported yet (see LAYER_REPORT_WAIT_MS). */
  #awaitingLayers = false;
  #layerReportTimer: NodeJS.Timeout | undefined;
  /** The last maxSendHeight told to this (simulcast) publisher; -1: none yet. */
  #sentMaxSendHeight = -1;
  /** Tile heights by publisher id (setVideoConstraints); absent = best layer. */
  #tileHeights = new Map<string, number>();
  /** Last-N: the publishers whose video this participant gets; undefined = everyone. */
  #videoAllowed: ReadonlySet<string> | undefined;
  /** Pinned by this participant (last-N keeps them). */
  pinned: ReadonlySet<string> = new Set();
  /** The participant's downlink estimate from its REMBs, bits/s. */
  #bandwidth = Number.POSITIVE_INFINITY;
  #negotiateTimer: NodeJS.Timeout | undefined;
  #allocateTimer: NodeJS.Timeout | undefined;
  readonly #cname = randomBytes(8).toString('base64url');
  #mids = 0;
  #offering = false;
  #needsOffer = false;
  /** Whether an answer has been applied (libdatachannel refuses candidates before one). */
  #answered = false;
  /** Candidates that overtook the first answer: a client may send them as soon as it has them. */
  #earlyCandidates: [candidate: string, mid: string][] = [];
  /** The engine's own candidates, held back until the first answer is applied (see #sendCandidate). */
  #heldCandidates = new Map<string, string>();
  #connected = false;
  #closed = false;
  readonly #connectTimer: NodeJS.Timeout;
  #reportTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly participantId: string,
    private readonly events: MediaSessionEvents,
    private readonly ctx: PeerSessionContext,
  ) {
    this.#pc = new ndc.PeerConnection('sfu', {
      iceServers: [],
      enableIceUdpMux: true,
      portRangeBegin: ctx.port,
      portRangeEnd: ctx.port,
      ...(ctx.bindAddress ? { bindAddress: ctx.bindAddress } : {}),
      disableAutoNegotiation: true,
    });
    this.#pc.onLocalDescription((sdp, type) => {
      if (this.#closed || type !== 'offer') return;
      let offer = ctx.simulcast
        ? offerSimulcast(sdp, PUBLISH_MIDS.video, SIMULCAST_RIDS, RID_EXTENSION_ID)
        : sdp;
      if (!this.#answered) {
        const taken = takeCandidates(offer);
        offer = taken.sdp;
        for (const candidate of taken.candidates) this.#sendCandidate(candidate, PUBLISH_MIDS.audio);
      }
      this.events.signal({ description: { type: 'offer', sdp: announceSdp(offer, ctx.announcedAddress) } });
    });
    this.#pc.onLocalCandidate((candidate, mid) => {
      this.#sendCandidate(candidate.startsWith('a=') ? candidate.slice(2) : candidate, mid);
    });
    this.#pc.onStateChange((state) => this.#onState(state));

    const audio = new ndc.Audio(PUBLISH_MIDS.audio, 'RecvOnly');
    describeAudio(audio, true);
    const video = new ndc.Video(PUBLISH_MIDS.video, 'RecvOnly');
    describeVideo(video);
    this.publications = {
      audio: this.#publish('audio', this.#pc.addTrack(audio)),
      video: this.#publish('video', this.#pc.addTrack(video)),
    };
    this.#connectTimer = setTimeout(() => {
      if (!this.#connected) this.#fail('timeout');
    }, ctx.connectTimeoutMs);
    this.#connectTimer.unref();
  }

  /** Forward a publication to this participant (renegotiates, batched). */
  subscribe(pub: Publication): void {
    if (this.#closed || pub.ownerId === this.participantId || this.#subscriptions.has(pub)) return;
    this.#toSubscribe.add(pub);
    this.#negotiate();
  }

  /** Stop forwarding a publication to this participant (renegotiates, batched). */
  unsubscribe(pub: Publication): void {
    if (this.#toSubscribe.delete(pub)) return;
    const sub = this.#subscriptions.get(pub);
    if (!sub || this.#closed) return;
    this.#subscriptions.delete(pub);
    sub.close();
    // A closed track's m-line is rejected (port 0) in the next offer; the browser ends the receiver.
    sub.track.close();
    this.#negotiate();
  }

  /** Kinds this participant publishes. */
  get publishing(): ReadonlySet<Kind> {
    return this.#publishing;
  }

  /** Last-N: only these publishers' video is forwarded (undefined: all). */
  setVideoAllowed(allowed: ReadonlySet<string> | undefined): void {
    this.#videoAllowed = allowed;
    this.#allocate();
  }

  /** Starts negotiation; the first offer has the session's publish m-lines and any subscriptions queued. */
  start(): void {
    this.#negotiate();
  }

  signal({ description, candidate, simulcast, videoConstraints }: MediaSignal): void {
    if (this.#closed) return;
    if (simulcast) this.#declareLayers(simulcast);
    if (videoConstraints) this.#setVideoConstraints(videoConstraints);
    try {
      if (description) {
        // The engine offers; an offer from the browser is a protocol violation and is ignored.
        if (description.type !== 'answer' || !this.#offering) return;
        // libdatachannel drops RTP from SSRCs that the remote description does not declare, and a
        // browser's simulcast answer declares none: add the layers' SSRCs the client reported
        // (and drop the rid/simulcast lines, which libdatachannel's own offer never had).
        const answer = this.ctx.simulcast ? stripSimulcast(description.sdp) : description.sdp;
        const sdp = this.#layerSsrcs.length
          ? declareSsrcs(answer, PUBLISH_MIDS.video, this.#layerSsrcs)
          : answer;
        this.#pc.setRemoteDescription(sdp, 'answer');
        this.#offering = false;
        if (!this.#answered) {
          this.#answered = true;
          for (const [c, mid] of this.#earlyCandidates.splice(0)) this.#pc.addRemoteCandidate(c, mid);
          for (const [c, mid] of this.#heldCandidates) this.#sendCandidate(c, mid);
          this.#heldCandidates.clear();
        }
        this.#updatePublishing(answerPublishes(description.sdp, PUBLISH_MIDS));
        this.#awaitingLayers =
          !!this.ctx.simulcast &&
          !this.#layerSsrcs.length &&
          answerSendsSimulcast(description.sdp, PUBLISH_MIDS.video);
        this.#awaitLayers();
        if (this.#needsOffer) this.#negotiate();
      } else if (candidate?.candidate) {
        const mid = candidate.sdpMid ?? PUBLISH_MIDS.audio;
        if (this.#answered) this.#pc.addRemoteCandidate(candidate.candidate, mid);
        else if (this.#earlyCandidates.length < MAX_EARLY_CANDIDATES)
          this.#earlyCandidates.push([candidate.candidate, mid]);
      }
    } catch (err) {
      // Garbage SDP or candidates from one browser cost only that browser its session.
      this.ctx.log.debug('sfu.bad_signal', errorFields(err));
      this.#fail('bad-signal');
    }
  }

  /**
   * Until the first answer is applied the browser gets none of the engine's candidates, so its
   * connectivity checks cannot start before then. If they could, libjuice would see the checks
   * already succeeded the moment the answer is set and start DTLS on its own thread while
   * libdatachannel is still storing that answer: the browser's certificate is then checked against
   * no fingerprint, the handshake fails ("certificate verify failed") and the session is lost
   * (9 failed runs in 20 of the SFU signalling test before this; docs/sfu.md).
   */
  #sendCandidate(candidate: string, mid: string): void {
    if (this.#closed) return;
    if (!this.#answered) {
      this.#heldCandidates.set(candidate, mid);
      return;
    }
    this.events.signal({
      candidate: { candidate: announceCandidate(candidate, this.ctx.announcedAddress), sdpMid: mid },
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#connectTimer);
    clearTimeout(this.#negotiateTimer);
    clearTimeout(this.#layerReportTimer);
    clearInterval(this.#reportTimer);
    clearInterval(this.#allocateTimer);
    for (const pub of Object.values(this.publications)) pub.close();
    for (const sub of this.#subscriptions.values()) sub.close();
    this.#subscriptions.clear();
    this.#toSubscribe.clear();
    try {
      this.#pc.close();
    } catch {
      // Already torn down by the library.
    }
    this.#tracks.length = 0;
    this.ctx.onClosed(this);
  }

  get connected(): boolean {
    return this.#connected;
  }

  #publish(kind: Kind, track: Track): Publication {
    this.#tracks.push(track);
    // No media handler: libdatachannel's RtcpReceivingSession would swallow the publisher's sender
    // reports, which subscribers need for lip sync; Publication writes the receiver reports itself.
    const pub = new Publication(kind, this.participantId, track, this.ctx.stats, this.ctx.onAudioLevel);
    track.onMessage((packet) => pub.receive(packet));
    return pub;
  }

  /** Schedules an offer: changes within NEGOTIATION_BATCH_MS (and while an answer is pending) share one. */
  #negotiate(): void {
    if (this.#closed) return;
    if (this.#offering) {
      this.#needsOffer = true;
      return;
    }
    if (this.#negotiateTimer) return;
    this.#negotiateTimer = setTimeout(() => {
      this.#negotiateTimer = undefined;
      this.#offerNow();
    }, NEGOTIATION_BATCH_MS);
    this.#negotiateTimer.unref();
  }

  #offerNow(): void {
    if (this.#closed) return;
    if (this.#offering) {
      this.#needsOffer = true;
      return;
    }
    this.#needsOffer = false;
    for (const pub of this.#toSubscribe) this.#addSubscription(pub);
    this.#toSubscribe.clear();
    this.#offering = true;
    try {
      this.#pc.setLocalDescription('offer');
    } catch (err) {
      this.ctx.log.warn('sfu.offer_failed', errorFields(err));
      this.#fail('offer');
    }
  }

  #addSubscription(pub: Publication): void {
    const n = ++this.#mids;
    const kind = pub.kind;
    const ssrc = randomBytes(4).readUInt32BE(0) || 1;
    // The stream id (msid) is the publisher's participant id: it is how the browser tells whose media this is.
    const msid = pub.ownerId;
    const desc = kind === 'audio' ? new ndc.Audio(`a${n}`, 'SendOnly') : new ndc.Video(`v${n}`, 'SendOnly');
    if (desc instanceof ndc.Audio) describeAudio(desc, false);
    else describeVideo(desc as InstanceType<typeof ndc.Video>);
    desc.addSSRC(ssrc, this.#cname, msid, `${kind}-${n}`);
    const track = this.#pc.addTrack(desc);
    this.#tracks.push(track);
    const sub = new Subscription(pub, track, ssrc, this.ctx.stats, (bps) => {
      this.#bandwidth = bps;
    });
    this.#subscriptions.set(pub, sub);
    if (kind === 'video') this.#allocateOne(sub, this.#videoShare());
  }

  #updatePublishing(now: ReadonlySet<Kind>): void {
    for (const kind of ['audio', 'video'] as const) {
      const was = this.#publishing.has(kind);
      if (was === now.has(kind)) continue;
      if (now.has(kind)) this.#publishing.add(kind);
      else this.#publishing.delete(kind);
      this.ctx.onPublishing(this, kind, !was);
    }
  }

  #declareLayers(layers: NonNullable<MediaSignal['simulcast']>): void {
    const ssrcs: number[] = [];
    for (const rid of SIMULCAST_RIDS) {
      const layer = layers.find((l) => l.rid === rid);
      if (layer) ssrcs.push(layer.ssrc >>> 0);
    }
    if (ssrcs.length < 2 || ssrcs.join() === this.#layerSsrcs.join()) return;
    this.#layerSsrcs = ssrcs;
    this.#awaitingLayers = false;
    clearTimeout(this.#layerReportTimer);
    this.publications.video.declareLayers(ssrcs);
    // A new answer must carry the SSRCs: ask for one.
    this.#negotiate();
  }

  /**
   * A publisher that answered with simulcast but has not reported its layers LAYER_REPORT_WAIT_MS
   * after connecting loses this session; the router opens its next one without simulcast. An offer
   * without simulcast on this PeerConnection would not do: the browser keeps one rid and still
   * declares no SSRC (libwebrtc, checked), so its video would stay dropped (docs/sfu.md).
   */
  #awaitLayers(): void {
    if (!this.#awaitingLayers || !this.#connected || this.#layerReportTimer) return;
    this.#layerReportTimer = setTimeout(() => {
      this.#layerReportTimer = undefined;
      // Reported meanwhile, or no longer sending video: a later answer starts the wait again.
      if (this.#closed || !this.#awaitingLayers) return;
      this.ctx.stats.simulcastFallbacks++;
      this.ctx.log.info('sfu.simulcast_unreported');
      this.ctx.onLayersUnreported?.(this);
      this.#end();
    }, LAYER_REPORT_WAIT_MS);
    this.#layerReportTimer.unref();
  }

  #setVideoConstraints(c: NonNullable<MediaSignal['videoConstraints']>): void {
    this.#tileHeights = new Map(c.tiles.map((t) => [t.participantId, t.height]));
    this.pinned = new Set(c.pinned ?? []);
    this.ctx.onVideoConstraints?.(this);
    this.#allocate();
  }

  /** The share of the downlink estimate one shown video may use. */
  #videoShare(): number {
    let shown = 0;
    for (const sub of this.#subscriptions.values())
      if (sub.publication.video && this.#wants(sub.publication)) shown++;
    return this.#bandwidth / Math.max(1, shown);
  }

  #wants(pub: Publication): boolean {
    return this.wantedHeight(pub.ownerId) > 0;
  }

  /** How tall this participant shows `publisherId`'s video: 0 = not at all (hidden, last-N). */
  wantedHeight(publisherId: string): number {
    if (this.#videoAllowed && !this.#videoAllowed.has(publisherId)) return 0;
    return this.#tileHeights.get(publisherId) ?? DEFAULT_MAX_HEIGHT;
  }

  /**
   * Tells this participant, if it publishes simulcast, the tallest picture anyone shows of its
   * video, so that it pauses the layers nobody needs (`mediaSignal.maxSendHeight`): the top layer
   * is most of a browser's encoding work, wasted while every tile is small. Sent on change only.
   */
  setMaxSendHeight(height: number): void {
    if (this.#closed || height === this.#sentMaxSendHeight) return;
    // Only once two layers arrive: Chromium ignored a pause set before its encoders had started
    // (getParameters said paused, the layer went on encoding; seen in e2e/simulcast).
    let arriving = 0;
    for (const layer of this.publications.video.layers) if (layer) arriving++;
    if (arriving < 2) return;
    this.#sentMaxSendHeight = height;
    this.events.signal({ maxSendHeight: height });
  }

  /** Chooses the layer of every video this participant receives. */
  #allocate(): void {
    if (this.#closed) return;
    const share = this.#videoShare();
    for (const sub of this.#subscriptions.values()) if (sub.publication.video) this.#allocateOne(sub, share);
  }

  #allocateOne(sub: Subscription, share: number): void {
    const pub = sub.publication;
    if (!this.#wants(pub)) {
      sub.setTarget(-1);
      return;
    }
    const layers = pub.layers.filter((l) => l !== undefined);
    if (layers.length === 0) {
      sub.setTarget(0);
      return;
    }
    const index = selectLayer(layers, {
      maxHeight: this.#tileHeights.get(pub.ownerId) ?? DEFAULT_MAX_HEIGHT,
      // A receiver's REMB stays near what it receives (libwebrtc caps it at 1.5× the incoming
      // rate), so it can never show room for the layer above the current one: allow one step up,
      // and move down only when the estimate falls well under the layer's rate (congestion).
      bandwidth: share * REMB_HEADROOM,
    });
    sub.setTarget(index);
  }

  #onState(state: string): void {
    if (this.#closed) return;
    if (state === 'connected' && !this.#connected) {
      this.#connected = true;
      clearTimeout(this.#connectTimer);
      this.ctx.log.debug('sfu.session_connected');
      this.#report();
      this.#reportTimer = setInterval(() => this.#report(), REPORT_INTERVAL_MS);
      this.#reportTimer.unref();
      this.#allocateTimer = setInterval(() => this.#allocate(), ALLOCATE_INTERVAL_MS);
      this.#allocateTimer.unref();
      this.#awaitLayers();
    } else if (state === 'failed' || state === 'closed' || state === 'disconnected') {
      this.#fail(state);
    }
  }

  #report(): void {
    this.publications.audio.sendReports(0);
    this.publications.video.sendReports(this.ctx.maxVideoBitrate);
  }

  #fail(_reason: 'timeout' | 'bad-signal' | 'offer' | string): void {
    if (this.#closed) return;
    this.ctx.log.debug('sfu.session_failed', { connected: this.#connected });
    this.ctx.stats.sessionsFailed++;
    this.#end();
  }

  /** Closes the session as if it had failed: the room opens a new one. */
  #end(): void {
    const events = this.events;
    this.close();
    events.closed();
  }
}
