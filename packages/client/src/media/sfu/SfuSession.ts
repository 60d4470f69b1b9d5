import type { IceServer } from '@conclave/protocol';
import { Emitter } from '../../events.js';
import type { MediaPath, RemoteTrack, SignalPayload, WebRTCImpl } from '../MediaPath.js';

export interface SfuSessionOptions {
  iceServers: IceServer[];
  localTracks: readonly MediaStreamTrack[];
  localStream: MediaStream | undefined;
  webrtc: WebRTCImpl;
}

type SfuEvents = {
  /** Negotiation to send to the server's media engine (`mediaSignal`). */
  signal: [SignalPayload];
  track: [RemoteTrack];
  state: [RTCPeerConnectionState];
};

/** The m-lines of the engine's offer on which this participant publishes (docs/protocol.md). */
const PUBLISH_MIDS = { audio: 'pa', video: 'pv' } as const;

/**
 * One PeerConnection to the server's SFU. The engine always offers and this side always answers,
 * so there is no glare: the first offer carries receive-only `pa`/`pv` m-lines, which get the local
 * tracks, and one send-only audio/video pair per other participant, whose stream id (msid) is that
 * participant's id. Renegotiations add or reject pairs as people come and go.
 */
export class SfuSession extends Emitter<SfuEvents> implements MediaPath {
  readonly kind = 'sfu';
  readonly #pc: RTCPeerConnection;
  readonly #options: SfuSessionOptions;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: SfuSessionOptions) {
    super();
    this.#options = options;
    this.#pc = new options.webrtc.RTCPeerConnection({
      iceServers: options.iceServers,
      bundlePolicy: 'max-bundle',
    });
    this.#pc.onicecandidate = ({ candidate }) => {
      if (candidate && !this.#closed) {
        this.emit('signal', {
          candidate: {
            candidate: candidate.candidate,
            sdpMid: candidate.sdpMid,
            sdpMLineIndex: candidate.sdpMLineIndex,
            usernameFragment: candidate.usernameFragment,
          },
        });
      }
    };
    this.#pc.ontrack = ({ track, streams }) => {
      const stream = streams[0];
      // Only the engine's send-only m-lines carry a stream id; anything else is not a participant.
      if (!stream) return;
      this.emit('track', { participantId: stream.id, track, stream });
    };
    this.#pc.onconnectionstatechange = () => {
      if (!this.#closed) this.emit('state', this.#pc.connectionState);
    };
  }

  get connectionState(): RTCPeerConnectionState {
    return this.#pc.connectionState;
  }

  /** Applies the engine's offers and candidates in arrival order. */
  handleSignal(payload: SignalPayload): Promise<void> {
    const next = this.#queue.then(() => this.#apply(payload));
    this.#queue = next.catch(() => {});
    return next;
  }

  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const transceiver = this.#pc.getTransceivers().find((t) => t.mid === PUBLISH_MIDS[kind]);
    if (transceiver) await transceiver.sender.replaceTrack(track);
  }

  getStats(): Promise<RTCStatsReport> {
    return this.#pc.getStats();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pc.onicecandidate = null;
    this.#pc.ontrack = null;
    this.#pc.onconnectionstatechange = null;
    this.#pc.close();
    this.removeAllListeners();
  }

  async #apply({ description, candidate }: SignalPayload): Promise<void> {
    if (this.#closed) return;
    if (description) {
      if (description.type !== 'offer') return;
      await this.#pc.setRemoteDescription(description);
      await this.#attachLocalTracks();
      const answer = await this.#pc.createAnswer();
      await this.#pc.setLocalDescription(answer);
      const local = this.#pc.localDescription;
      if (local && !this.#closed) this.emit('signal', { description: { type: 'answer', sdp: local.sdp } });
    } else if (candidate) {
      await this.#pc.addIceCandidate(candidate);
    }
  }

  /** Puts the local tracks on the publish m-lines (the first time they appear). */
  async #attachLocalTracks(): Promise<void> {
    for (const kind of ['audio', 'video'] as const) {
      const transceiver = this.#pc.getTransceivers().find((t) => t.mid === PUBLISH_MIDS[kind]);
      if (!transceiver || transceiver.sender.track) continue;
      const track = this.#options.localTracks.find((t) => t.kind === kind);
      if (!track) {
        transceiver.direction = 'inactive';
        continue;
      }
      await transceiver.sender.replaceTrack(track);
      if (this.#options.localStream && typeof transceiver.sender.setStreams === 'function') {
        transceiver.sender.setStreams(this.#options.localStream);
      }
      transceiver.direction = 'sendonly';
    }
  }
}
