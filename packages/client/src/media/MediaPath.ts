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
