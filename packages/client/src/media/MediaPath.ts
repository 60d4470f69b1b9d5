import type { IceCandidate, SessionDescription } from '@conclave/protocol';

export type SignalPayload = { description?: SessionDescription; candidate?: IceCandidate };

export interface RemoteTrack {
  participantId: string;
  track: MediaStreamTrack;
  stream: MediaStream;
}

/** The WebRTC classes a path needs; browsers pass the globals, load bots pass @roamhq/wrtc's. */
export interface WebRTCImpl {
  RTCPeerConnection: typeof RTCPeerConnection;
}

/**
 * Per-frame transforms applied to every sender and receiver of a path (end-to-end encryption).
 * Attached as soon as a sender or receiver exists, because Chromium's legacy encoded-streams API
 * refuses once frames have flowed.
 */
export interface MediaTransforms {
  /** Extra RTCPeerConnection configuration the transforms need (e.g. `encodedInsertableStreams`). */
  peerConnectionConfig(): RTCConfiguration;
  attachSender(sender: RTCRtpSender, kind: 'audio' | 'video'): void;
  attachReceiver(receiver: RTCRtpReceiver, kind: 'audio' | 'video', participantId: string): void;
}

/**
 * One way of moving this participant's media: directly to one peer (P2P) or to the server's SFU.
 * The Conference keeps one current path and replaces it when the server changes the media mode.
 */
export interface MediaPath {
  readonly kind: 'p2p' | 'sfu';
  /** Swaps the outgoing track of that kind without renegotiating (mute, camera change). */
  replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void>;
  getStats(): Promise<RTCStatsReport>;
  close(): void;
}
