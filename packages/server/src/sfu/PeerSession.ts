import { PUBLISH_MIDS, SIMULCAST_RIDS } from '@conclave/protocol';
import ndc, { type PeerConnection, type Track } from 'node-datachannel';
import { errorFields, type Logger } from '../log/logger.js';
import { CandidateGate } from './CandidateGate.js';
import { announceCandidate, announceSdp } from './codecs.js';
import { allocateDownlink, pausedRids, type Viewer } from './downlink.js';
import { LayerReport } from './LayerReport.js';
import type { MediaEngineStats, MediaSession, MediaSessionEvents, MediaSignal } from './MediaEngine.js';
import { Negotiation } from './Negotiation.js';
import { Publication } from './Publication.js';
import type { Subscription } from './Subscription.js';
import { Subscriptions } from './Subscriptions.js';
import {
  answerPublishes,
  answerSendsSimulcast,
  declareSsrcs,
  offerSimulcast,
  stripSimulcast,
  takeCandidates,
} from './sdp.js';
import { addPublishTracks, bySlot, SLOT_MIDS, SLOTS, type Slot, slotKind, slotSource } from './slots.js';
import { closeTrack } from './tracks.js';
import { ViewerState } from './ViewerState.js';

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
  /** The participant started or stopped publishing on `slot` (from its answers). */
  onPublishing(session: PeerSession, slot: Slot, publishing: boolean): void;
  /** The participant sent new video constraints: tile sizes and whom it pins (last-N, send heights). */
  onVideoConstraints?(session: PeerSession): void;
  /** Called once, when the session has closed for whatever reason. */
  onClosed(session: PeerSession): void;
  /** The participant answered with simulcast but never reported its layers (see LayerReport). */
  onLayersUnreported?(session: PeerSession): void;
}

/** Receiver reports (and REMB) to the publisher: once a second, as libwebrtc does for video. */
const REPORT_INTERVAL_MS = 1000;
/** How often each session re-chooses the simulcast layer of every video it receives. */
const ALLOCATE_INTERVAL_MS = 500;
/** ID of the rid header extension in simulcast offers (free in the BUNDLE group: audio level is 1). */
const RID_EXTENSION_ID = 4;

/**
 * The server side of one participant's PeerConnection. The engine is always the offerer: the first
 * offer has receive-only m-lines for what the participant publishes (slots.ts) and a send-only one
 * per publication of the others; as people come, go and present it renegotiates, one offer at a
 * time (Negotiation). It wires the publications (up), the subscriptions (down) and their layer
 * allocation, the candidate gate and the simulcast report.
 */
export class PeerSession implements MediaSession, Viewer {
  readonly publications: Record<Slot, Publication>;
  readonly #pc: PeerConnection;
  // JS references to the publish Tracks: an unreferenced one stopped delivering onMessage.
  readonly #publishTracks: Track[] = [];
  readonly #subscriptions: Subscriptions;
  readonly #negotiation = new Negotiation(() => this.#offerNow());
  readonly #candidates: CandidateGate;
  readonly #layers: LayerReport;
  readonly #viewer: ViewerState;
  /** Slots this participant publishes on, from its last answer. */
  readonly #publishing = new Set<Slot>();
  /** The last maxSendHeight told to this (simulcast) publisher; -1: none yet. */
  #sentMaxSendHeight = -1;
  /** The browser's last answer as it came (re-applied with new simulcast SSRCs, see #declareLayers). */
  #lastAnswer: string | undefined;
  /** Offers made only to re-apply the last answer: libdatachannel reports them, the browser never sees them. */
  #localOffers = 0;
  #allocateTimer: NodeJS.Timeout | undefined;
  #connected = false;
  #closed = false;
  readonly #connectTimer: NodeJS.Timeout;
  #reportTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly participantId: string,
    private readonly events: MediaSessionEvents,
    private readonly ctx: PeerSessionContext,
  ) {
    this.#viewer = new ViewerState(participantId);
    this.#layers = new LayerReport(() => {
      this.ctx.stats.simulcastFallbacks++;
      this.ctx.log.info('sfu.simulcast_unreported');
      this.ctx.onLayersUnreported?.(this);
      this.#end();
    });
    this.#pc = new ndc.PeerConnection('sfu', {
      iceServers: [],
      enableIceUdpMux: true,
      portRangeBegin: ctx.port,
      portRangeEnd: ctx.port,
      ...(ctx.bindAddress ? { bindAddress: ctx.bindAddress } : {}),
      disableAutoNegotiation: true,
    });
    this.#candidates = new CandidateGate(
      (candidate, mid) => this.#pc.addRemoteCandidate(candidate, mid),
      (candidate, mid) => {
        if (this.#closed) return;
        this.events.signal({
          candidate: { candidate: announceCandidate(candidate, this.ctx.announcedAddress), sdpMid: mid },
        });
      },
    );
    this.#subscriptions = new Subscriptions(this.#pc, ctx.stats, this.#viewer);
    this.#pc.onLocalDescription((sdp, type) => {
      if (this.#closed || type !== 'offer') return;
      if (this.#localOffers > 0) {
        this.#localOffers--;
        return;
      }
      const video = this.publications.video;
      const paused = pausedRids(video.layers, this.#sentMaxSendHeight, this.#layers.ssrcs.length);
      let offer = ctx.simulcast
        ? offerSimulcast(sdp, PUBLISH_MIDS.video, SIMULCAST_RIDS, RID_EXTENSION_ID, paused)
        : sdp;
      if (!this.#candidates.open) {
        // Candidates gathered into the first offer wait like the others (CandidateGate).
        const taken = takeCandidates(offer);
        offer = taken.sdp;
        for (const candidate of taken.candidates) this.#localCandidate(candidate, PUBLISH_MIDS.audio);
      }
      this.events.signal({ description: { type: 'offer', sdp: announceSdp(offer, ctx.announcedAddress) } });
    });
    this.#pc.onLocalCandidate((candidate, mid) => {
      this.#localCandidate(candidate.startsWith('a=') ? candidate.slice(2) : candidate, mid);
    });
    this.#pc.onStateChange((state) => this.#onState(state));

    const tracks = addPublishTracks(this.#pc);
    this.publications = bySlot((slot) => this.#publish(slot, tracks[slot]));
    this.#connectTimer = setTimeout(() => {
      if (!this.#connected) this.#fail('timeout');
    }, ctx.connectTimeoutMs);
    this.#connectTimer.unref();
  }

  /** Forward a publication to this participant (renegotiates, batched). */
  subscribe(pub: Publication): void {
    if (this.#closed || pub.ownerId === this.participantId) return;
    if (this.#subscriptions.queue(pub)) this.#negotiation.request();
  }

  /** Stop forwarding a publication to this participant (renegotiates, batched). */
  unsubscribe(pub: Publication): void {
    if (this.#closed) return;
    if (this.#subscriptions.remove(pub)) this.#negotiation.request();
  }

  /** Slots this participant publishes on. */
  get publishing(): ReadonlySet<Slot> {
    return this.#publishing;
  }

  /** Pinned by this participant (last-N keeps them). */
  get pinned(): ReadonlySet<string> {
    return this.#viewer.pinned;
  }

  /** Last-N: only these publishers' video is forwarded (undefined: all). */
  setVideoAllowed(allowed: ReadonlySet<string> | undefined): void {
    this.#viewer.setAllowed(allowed);
    this.#allocate();
  }

  /**
   * Makes an offer (batched): the first has the publish m-lines and the subscriptions queued; a
   * later one lets the browser start or stop sending its screen (it answers what the room allows).
   */
  offer(): void {
    if (!this.#closed) this.#negotiation.request();
  }

  signal({ description, candidate, simulcast, videoConstraints }: MediaSignal): void {
    if (this.#closed) return;
    if (simulcast) this.#declareLayers(simulcast);
    if (videoConstraints) {
      this.#viewer.setConstraints(videoConstraints);
      this.ctx.onVideoConstraints?.(this);
      this.#allocate();
    }
    try {
      if (description) {
        // The engine offers; an offer from the browser is a protocol violation and is ignored.
        if (description.type !== 'answer' || !this.#negotiation.offering) return;
        this.#applyAnswer(description.sdp);
      } else if (candidate?.candidate) {
        this.#candidates.remote(candidate.candidate, candidate.sdpMid ?? PUBLISH_MIDS.audio);
      }
    } catch (err) {
      // Garbage SDP or candidates from one browser cost only that browser its session.
      this.ctx.log.debug('sfu.bad_signal', errorFields(err));
      this.#fail('bad-signal');
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#connectTimer);
    this.#negotiation.close();
    this.#layers.close();
    clearInterval(this.#reportTimer);
    clearInterval(this.#allocateTimer);
    for (const pub of Object.values(this.publications)) pub.close();
    this.#subscriptions.close();
    // Each publish track's onMessage callback (a global handle until the track closes) holds its
    // publication, and through it the router and every participant's connection.
    for (const track of this.#publishTracks) closeTrack(track);
    try {
      this.#pc.close();
    } catch {
      // Already torn down by the library.
    }
    this.#publishTracks.length = 0;
    this.ctx.onClosed(this);
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** How tall this participant shows `publisherId`'s video, for its send height (ViewerState). */
  wantedHeight(publisherId: string): number {
    return this.#viewer.sendHeightFor(publisherId, this.#connected);
  }

  /**
   * Tells this participant, if it publishes simulcast, the tallest picture anyone shows of its
   * video, so that it pauses the layers nobody needs (`mediaSignal.maxSendHeight`): the top layer
   * is most of a browser's encoding work, wasted while every tile is small. Sent on change only.
   */
  setMaxSendHeight(height: number): void {
    if (this.#closed || height === this.#sentMaxSendHeight) return;
    // Only to a publisher that has declared its layers, whether or not they arrive: a paused layer
    // sends nothing, and a new layer report (the top layer's stats often appear a poll after the
    // others') makes the publication forget the layers seen so far, so a wait for two layers to
    // arrive kept paused layers paused for good.
    if (!this.publications.video.simulcast) return;
    this.#sentMaxSendHeight = height;
    this.events.signal({ maxSendHeight: height });
  }

  #applyAnswer(sdp: string): void {
    // libdatachannel drops RTP from SSRCs that the remote description does not declare, and a
    // browser's simulcast answer declares none: add the layers' SSRCs the client reported
    // (and drop the rid/simulcast lines, which libdatachannel's own offer never had).
    const answer = this.ctx.simulcast ? stripSimulcast(sdp) : sdp;
    this.#setAnswer(answer);
    this.#lastAnswer = sdp;
    this.#candidates.openGate();
    this.#updatePublishing(answerPublishes(sdp, SLOT_MIDS));
    this.#layers.answered(!!this.ctx.simulcast && answerSendsSimulcast(sdp, PUBLISH_MIDS.video));
    this.#layers.wait(this.#connected);
    this.#negotiation.answered();
  }

  /** Gives libdatachannel the browser's answer with the reported simulcast SSRCs declared. */
  #setAnswer(answer: string): void {
    const ssrcs = this.#layers.ssrcs;
    this.#pc.setRemoteDescription(
      ssrcs.length ? declareSsrcs(answer, PUBLISH_MIDS.video, ssrcs) : answer,
      'answer',
    );
  }

  #localCandidate(candidate: string, mid: string): void {
    if (!this.#closed) this.#candidates.local(candidate, mid);
  }

  #publish(slot: Slot, track: Track): Publication {
    this.#publishTracks.push(track);
    // No media handler: libdatachannel's RtcpReceivingSession would swallow the publisher's sender
    // reports, which subscribers need for lip sync; Publication writes the receiver reports itself.
    // Only the microphone feeds dominant-speaker detection.
    const level = slot === 'audio' ? this.ctx.onAudioLevel : () => {};
    const pub = new Publication(
      slotKind(slot),
      this.participantId,
      track,
      this.ctx.stats,
      level,
      slotSource(slot),
    );
    track.onMessage((packet) => pub.receive(packet));
    return pub;
  }

  #offerNow(): void {
    if (this.#closed) return;
    this.#subscriptions.addPending((sub) => {
      if (sub.publication.video) this.#allocate(sub);
    });
    try {
      this.#pc.setLocalDescription('offer');
    } catch (err) {
      this.ctx.log.warn('sfu.offer_failed', errorFields(err));
      this.#fail('offer');
    }
  }

  #updatePublishing(now: ReadonlySet<Slot>): void {
    for (const slot of SLOTS) {
      const was = this.#publishing.has(slot);
      if (was === now.has(slot)) continue;
      if (now.has(slot)) this.#publishing.add(slot);
      else this.#publishing.delete(slot);
      this.ctx.onPublishing(this, slot, !was);
    }
  }

  #declareLayers(layers: NonNullable<MediaSignal['simulcast']>): void {
    const ssrcs = this.#layers.report(layers);
    if (!ssrcs) return;
    this.publications.video.declareLayers(ssrcs);
    // libdatachannel must be given an answer that declares the SSRCs. An offer outstanding or due
    // gets one: every answer is applied with the reported SSRCs (#applyAnswer).
    if (!this.#negotiation.idle || this.#lastAnswer === undefined) return;
    // Nothing else changed, so the browser's last answer still answers the session as it is: a
    // new offer applied locally and that answer re-applied with the SSRCs declare them without
    // a round trip to the browser, which under load took it from 0.1 to 4 s per offer
    // (bench/join-time) and which Chromium 156 answers by re-activating paused layers.
    try {
      this.#localOffers++;
      this.#pc.setLocalDescription('offer');
      this.#setAnswer(this.ctx.simulcast ? stripSimulcast(this.#lastAnswer) : this.#lastAnswer);
    } catch (err) {
      this.ctx.log.warn('sfu.offer_failed', errorFields(err));
      this.#fail('offer');
    }
  }

  /**
   * Chooses the layer of every video this participant receives (downlink.ts), or of `only` (a new
   * subscription: the others keep theirs until the next round). A full round first weighs the loss
   * the participant reported since the last one.
   */
  #allocate(only?: Subscription): void {
    if (this.#closed) return;
    if (only === undefined) this.#viewer.loss.update(this.#subscriptions.octetsSent(), performance.now());
    const videos = this.#subscriptions.videos();
    const targets = allocateDownlink(
      this.#viewer.bandwidth,
      videos.map((sub) => ({
        wantedHeight: this.#viewer.wantedHeight(sub.publication.ownerId, sub.publication.source),
        layers: sub.publication.layers,
        pinned: this.#viewer.pinned.has(sub.publication.ownerId),
      })),
    );
    videos.forEach((sub, i) => {
      if (only === undefined || sub === only) sub.setTarget(targets[i] as number);
    });
  }

  #onState(state: string): void {
    if (this.#closed) return;
    if (state === 'connected' && !this.#connected) {
      this.#connected = true;
      clearTimeout(this.#connectTimer);
      this.ctx.log.debug('sfu.session_connected');
      this.#report();
      this.#reportTimer = setInterval(() => this.#report(), REPORT_INTERVAL_MS).unref();
      this.#allocateTimer = setInterval(() => this.#allocate(), ALLOCATE_INTERVAL_MS).unref();
      this.#layers.wait(true);
      for (const sub of this.#subscriptions.videos()) sub.connected();
    } else if (state === 'failed' || state === 'closed' || state === 'disconnected') {
      this.#fail(state);
    }
  }

  #report(): void {
    for (const pub of Object.values(this.publications))
      pub.sendReports(pub.video ? this.ctx.maxVideoBitrate : 0);
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
