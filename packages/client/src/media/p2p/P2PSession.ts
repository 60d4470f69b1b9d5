import type { IceServer } from '@conclave/protocol';
import { Emitter } from '../../Emitter.js';
import {
  type MediaTransforms,
  mediaStreamOf,
  type P2PPath,
  type P2PPathEvents,
  type ScreenTracks,
  type SignalPayload,
  type WebRTCImpl,
} from '../MediaPath.js';
import { applyScreenEncoding } from '../screen/screenEncoding.js';
import { withoutOrphanCodecLines } from './orphanCodecLines.js';

export interface P2PSessionOptions {
  peerId: string;
  /** Chosen by the server; the offerer is the "impolite" side of perfect negotiation. */
  offerer: boolean;
  iceServers: IceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  localTracks: readonly MediaStreamTrack[];
  localStream: MediaStream | undefined;
  webrtc: WebRTCImpl;
  transforms?: MediaTransforms | undefined;
  /** The screen this participant shares now, if any (sent from the start). */
  screen?: ScreenTracks | undefined;
}

/**
 * How long the answering side waits for the offerer's first offer before offering itself. Normally
 * the offer arrives within a round trip; the fallback only matters if the offerer never offers.
 */
const FIRST_OFFER_WAIT_MS = 5_000;
/** A connection that has not (re)connected by then gets an ICE restart from the offerer. */
const ICE_RESTART_AFTER_MS = 6_000;

/** `signal` is relayed to the peer through the server. */
type P2PEvents = P2PPathEvents;

/**
 * A direct PeerConnection between the two browsers of a two-person meeting. Media is DTLS-SRTP
 * end to end (PRIVACY P9); the server only relays the negotiation. Negotiation follows the
 * "perfect negotiation" pattern (W3C WebRTC §10.7) so that either side may renegotiate without
 * glare, with the server-chosen offerer as the impolite peer.
 */
export class P2PSession extends Emitter<P2PEvents> implements P2PPath {
  readonly kind = 'p2p';
  readonly peerId: string;
  readonly #pc: RTCPeerConnection;
  readonly #polite: boolean;
  #makingOffer = false;
  #ignoreOffer = false;
  #awaitingFirstOffer: boolean;
  #firstOfferTimer: ReturnType<typeof setTimeout> | undefined;
  #restartTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  readonly #options: P2PSessionOptions;
  /** The transceivers that send this side's screen; stopped (m-lines rejected) when it ends. */
  #screenTransceivers: RTCRtpTransceiver[] = [];
  /** Where the peer says it sends its screen (`screenMids` of its last description). */
  #remoteScreenMids = new Set<string>();

  constructor(options: P2PSessionOptions) {
    super();
    this.peerId = options.peerId;
    this.#options = options;
    this.#polite = !options.offerer;
    this.#awaitingFirstOffer = this.#polite;
    const transforms = options.transforms;
    this.#pc = new options.webrtc.RTCPeerConnection({
      ...transforms?.peerConnectionConfig(),
      iceServers: options.iceServers,
      iceTransportPolicy: options.iceTransportPolicy ?? 'all',
    });
    this.#pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.emit('signal', { candidate: toCandidate(candidate) });
    };
    const Stream = mediaStreamOf(options.webrtc);
    this.#pc.ontrack = ({ track, streams, receiver, transceiver }) => {
      // Synchronously, before any frame reaches the receiver (legacy encoded streams require it).
      transforms?.attachReceiver(receiver, kindOf(track), this.peerId);
      // A track sent without a stream id gets one of its own (none in Node without wrtc's MediaStream).
      const stream = streams[0] ?? (Stream ? new Stream([track]) : undefined);
      if (!stream) return;
      const mid = transceiver?.mid;
      const source = mid && this.#remoteScreenMids.has(mid) ? 'screen' : 'camera';
      this.emit('track', { participantId: this.peerId, track, stream, source });
    };
    this.#pc.onconnectionstatechange = () => this.#onConnectionState();
    this.#pc.onnegotiationneeded = () => {
      // The answerer's own first offer would collide with the offerer's; see #stopAwaitingFirstOffer.
      if (!this.#awaitingFirstOffer) void this.#offer();
    };
    for (const kind of ['audio', 'video'] as const) {
      const track = options.localTracks.find((t) => t.kind === kind);
      if (track) this.#pc.addTrack(track, ...(options.localStream ? [options.localStream] : []));
      // Receive the peer's media even when we send none of this kind.
      else this.#pc.addTransceiver(kind, { direction: 'recvonly' });
    }
    if (transforms) {
      for (const transceiver of this.#pc.getTransceivers()) {
        const kind = kindOf(transceiver.receiver.track);
        transforms.attachSender(transceiver.sender, kind);
        // Chromium only routes received frames through a transform set before negotiation
        // configured the receiver; setting it later in `ontrack` was silently bypassed.
        transforms.attachReceiver(transceiver.receiver, kind, this.peerId);
        preferTransformableCodecs(transceiver, kind, options.webrtc);
      }
    }
    if (options.screen) void this.setScreen(options.screen);
    if (this.#awaitingFirstOffer) {
      this.#firstOfferTimer = setTimeout(() => this.#stopAwaitingFirstOffer(true), FIRST_OFFER_WAIT_MS);
    }
    this.#scheduleIceRestart();
  }

  async handleSignal({ description, candidate, screenMids }: SignalPayload): Promise<void> {
    if (this.#closed) return;
    if (description) {
      const collision =
        description.type === 'offer' && (this.#makingOffer || this.#pc.signalingState !== 'stable');
      this.#ignoreOffer = !this.#polite && collision;
      if (this.#ignoreOffer) return;
      // Before applying it: its new tracks are announced (ontrack) while it is applied.
      this.#remoteScreenMids = new Set(screenMids ?? []);
      if (description.type === 'offer') this.#stopAwaitingFirstOffer(false);
      await this.#pc.setRemoteDescription({
        type: description.type,
        sdp: withoutOrphanCodecLines(description.sdp),
      });
      if (description.type === 'offer') {
        await this.#pc.setLocalDescription();
        this.#sendLocalDescription();
      }
    } else if (candidate) {
      try {
        await this.#pc.addIceCandidate(candidate);
      } catch (err) {
        // Candidates of an offer we ignored in a collision are expected to fail.
        if (!this.#ignoreOffer) throw err;
      }
    }
  }

  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const sender = this.#pc
      .getSenders()
      .find((s) => s.track?.kind === kind || transceiverKind(this.#pc, s) === kind);
    if (sender) await sender.replaceTrack(track);
  }

  /**
   * Sends this screen on transceivers of its own (one per track), or stops them; either way the
   * change is negotiated (negotiationneeded), and every description this side sends names the
   * screen's mids so that the peer can tell screen from camera.
   */
  async setScreen(screen: ScreenTracks | undefined): Promise<void> {
    if (this.#closed) return;
    for (const transceiver of this.#screenTransceivers) transceiver.stop();
    this.#screenTransceivers = [];
    const transforms = this.#options.transforms;
    for (const track of screen?.tracks ?? []) {
      const kind = kindOf(track);
      const transceiver = this.#pc.addTransceiver(track, {
        direction: 'sendonly',
        streams: screen?.stream ? [screen.stream] : [],
      });
      this.#screenTransceivers.push(transceiver);
      if (transforms) {
        transforms.attachSender(transceiver.sender, kind);
        preferTransformableCodecs(transceiver, kind, this.#options.webrtc);
      }
      if (kind === 'video') await applyScreenEncoding(transceiver.sender);
    }
  }

  /** Every P2P sender's transform applies (each is set before negotiation): nothing to change. */
  encryptionChanged(): Promise<void> {
    return Promise.resolve();
  }

  getStats(): Promise<RTCStatsReport> {
    return this.#pc.getStats();
  }

  get connectionState(): RTCPeerConnectionState {
    return this.#pc.connectionState;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#firstOfferTimer);
    clearTimeout(this.#restartTimer);
    this.#pc.onicecandidate = null;
    this.#pc.ontrack = null;
    this.#pc.onnegotiationneeded = null;
    this.#pc.onconnectionstatechange = null;
    this.#pc.close();
    this.removeAllListeners();
  }

  /**
   * Both sides add their tracks at once, so both would offer at once. Perfect negotiation resolves
   * that glare by rolling back the answerer's offer, but Chromium then answers with the ICE
   * credentials of the rolled-back offer and gathers no new candidates, while the offerer has
   * discarded the candidates of the offer it ignored: neither side ever has a pair to check (seen
   * in about one call in ten). So the answerer leaves the first offer to the offerer and only
   * negotiates its own changes once that is done (or if no offer comes).
   */
  #stopAwaitingFirstOffer(offerNow: boolean): void {
    if (!this.#awaitingFirstOffer) return;
    this.#awaitingFirstOffer = false;
    clearTimeout(this.#firstOfferTimer);
    // Once stable again after answering, Chromium re-evaluates and fires negotiationneeded if needed.
    if (offerNow && !this.#closed && this.#pc.signalingState === 'stable') void this.#offer();
  }

  #onConnectionState(): void {
    const state = this.#pc.connectionState;
    this.emit('state', state);
    this.#scheduleIceRestart();
  }

  /**
   * A path that is not connected (never was, or lost it) gets a fresh ICE negotiation from the
   * offerer after a while: new credentials, new candidates on both sides. Only the offerer
   * restarts, so the two sides never restart against each other.
   */
  #scheduleIceRestart(delay = this.#pc.connectionState === 'failed' ? 0 : ICE_RESTART_AFTER_MS): void {
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    if (this.#polite || this.#closed || this.#pc.connectionState === 'connected') return;
    this.#restartTimer = setTimeout(() => {
      if (this.#closed || this.#pc.connectionState === 'connected') return;
      this.#pc.restartIce();
      // Give the restart its time, even if the state still reads `failed` meanwhile.
      this.#scheduleIceRestart(ICE_RESTART_AFTER_MS);
    }, delay);
  }

  async #offer(): Promise<void> {
    if (this.#closed) return;
    try {
      this.#makingOffer = true;
      await this.#pc.setLocalDescription();
      this.#sendLocalDescription();
    } finally {
      this.#makingOffer = false;
    }
  }

  #sendLocalDescription(): void {
    const local = this.#pc.localDescription;
    if (!local || this.#closed) return;
    if (local.type !== 'offer' && local.type !== 'answer') return;
    const screenMids = this.#screenTransceivers.flatMap((t) => (t.mid ? [t.mid] : []));
    this.emit('signal', {
      description: { type: local.type, sdp: local.sdp },
      ...(screenMids.length ? { screenMids } : {}),
    });
  }
}

function toCandidate(c: RTCIceCandidate): NonNullable<SignalPayload['candidate']> {
  return {
    candidate: c.candidate,
    sdpMid: c.sdpMid,
    sdpMLineIndex: c.sdpMLineIndex,
    usernameFragment: c.usernameFragment,
  };
}

function kindOf(track: MediaStreamTrack): 'audio' | 'video' {
  return track.kind === 'audio' ? 'audio' : 'video';
}

/**
 * With per-frame encryption the packetizer must not need to look inside the payload: VP8 and Opus
 * keep their headers in clear (docs/e2ee.md), whereas H.264's packetizer searches for start codes
 * that would then be ciphertext. So an encrypting P2P call negotiates VP8 and Opus only.
 */
function preferTransformableCodecs(
  transceiver: RTCRtpTransceiver,
  kind: 'audio' | 'video',
  webrtc: WebRTCImpl,
): void {
  const Receiver =
    (webrtc as { RTCRtpReceiver?: typeof RTCRtpReceiver }).RTCRtpReceiver ?? globalThis.RTCRtpReceiver;
  const codecs = Receiver?.getCapabilities?.(kind)?.codecs;
  if (!codecs || typeof transceiver.setCodecPreferences !== 'function') return;
  const wanted = kind === 'video' ? /^video\/(vp8|rtx)$/i : /^audio\/(opus)$/i;
  const preferred = codecs.filter((c) => wanted.test(c.mimeType));
  if (preferred.length) transceiver.setCodecPreferences(preferred);
}

function transceiverKind(pc: RTCPeerConnection, sender: RTCRtpSender): string | undefined {
  return pc.getTransceivers().find((t) => t.sender === sender)?.receiver.track.kind;
}
