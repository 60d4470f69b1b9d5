import type { IceServer } from '@conclave/protocol';
import { Emitter } from '../../events.js';
import type { MediaPath, MediaTransforms, RemoteTrack, SignalPayload, WebRTCImpl } from '../MediaPath.js';

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
}

type P2PEvents = {
  /** Negotiation to relay to the peer through the server. */
  signal: [SignalPayload];
  track: [RemoteTrack];
  state: [RTCPeerConnectionState];
};

/**
 * A direct PeerConnection between the two browsers of a two-person meeting. Media is DTLS-SRTP
 * end to end (PRIVACY P9); the server only relays the negotiation. Negotiation follows the
 * "perfect negotiation" pattern (W3C WebRTC §10.7) so that either side may renegotiate without
 * glare, with the server-chosen offerer as the impolite peer.
 */
export class P2PSession extends Emitter<P2PEvents> implements MediaPath {
  readonly kind = 'p2p';
  readonly peerId: string;
  readonly #pc: RTCPeerConnection;
  readonly #polite: boolean;
  #makingOffer = false;
  #ignoreOffer = false;
  #closed = false;

  constructor(options: P2PSessionOptions) {
    super();
    this.peerId = options.peerId;
    this.#polite = !options.offerer;
    const transforms = options.transforms;
    this.#pc = new options.webrtc.RTCPeerConnection({
      ...transforms?.peerConnectionConfig(),
      iceServers: options.iceServers,
      iceTransportPolicy: options.iceTransportPolicy ?? 'all',
    });
    this.#pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.emit('signal', { candidate: toCandidate(candidate) });
    };
    this.#pc.ontrack = ({ track, streams, receiver }) => {
      // Synchronously, before any frame reaches the receiver (legacy encoded streams require it).
      transforms?.attachReceiver(receiver, kindOf(track), this.peerId);
      const stream = streams[0] ?? new MediaStream([track]);
      this.emit('track', { participantId: this.peerId, track, stream });
    };
    this.#pc.onconnectionstatechange = () => this.emit('state', this.#pc.connectionState);
    this.#pc.onnegotiationneeded = () => void this.#offer();
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
  }

  async handleSignal({ description, candidate }: SignalPayload): Promise<void> {
    if (this.#closed) return;
    if (description) {
      const collision =
        description.type === 'offer' && (this.#makingOffer || this.#pc.signalingState !== 'stable');
      this.#ignoreOffer = !this.#polite && collision;
      if (this.#ignoreOffer) return;
      await this.#pc.setRemoteDescription(description);
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

  getStats(): Promise<RTCStatsReport> {
    return this.#pc.getStats();
  }

  get connectionState(): RTCPeerConnectionState {
    return this.#pc.connectionState;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pc.onicecandidate = null;
    this.#pc.ontrack = null;
    this.#pc.onnegotiationneeded = null;
    this.#pc.onconnectionstatechange = null;
    this.#pc.close();
    this.removeAllListeners();
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
    this.emit('signal', { description: { type: local.type, sdp: local.sdp } });
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
