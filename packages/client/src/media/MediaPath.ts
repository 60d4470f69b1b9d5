import type {
  IceCandidate,
  SessionDescription,
  SimulcastLayer,
  TrackSource,
  VideoConstraints,
} from '@conclave/protocol';

/** P2P negotiation; `screenMids`: the m-lines on which the description's sender sends its screen. */
export type SignalPayload = {
  description?: SessionDescription;
  candidate?: IceCandidate;
  screenMids?: string[] | undefined;
};

/** What comes from the engine in `mediaSignal`: negotiation, and how much of this side's video is wanted. */
export type EngineSignal = Omit<SignalPayload, 'screenMids'> & { maxSendHeight?: number | undefined };

/** What goes to the engine in `mediaSignal`: negotiation, simulcast layers, video constraints. */
export type SfuSignal = Omit<SignalPayload, 'screenMids'> & {
  simulcast?: SimulcastLayer[];
  videoConstraints?: VideoConstraints;
};

export interface RemoteTrack {
  participantId: string;
  track: MediaStreamTrack;
  /** A camera's tracks share the participant's stream; a screen's are in a stream of their own. */
  stream: MediaStream;
  /** The participant's camera and microphone, or the screen they share. */
  source: TrackSource;
}

/** The screen this participant shares: its video (and captured audio), in their own stream. */
export interface ScreenTracks {
  readonly tracks: readonly MediaStreamTrack[];
  readonly stream: MediaStream | undefined;
}

/** The WebRTC classes a path needs; browsers pass the globals, load bots pass @roamhq/wrtc's. */
export interface WebRTCImpl {
  RTCPeerConnection: typeof RTCPeerConnection;
  /** Node has no global MediaStream; without one, local tracks are sent without a stream id. */
  MediaStream?: typeof MediaStream;
}

/** The MediaStream class of `webrtc`, or the global one, or none (Node without @roamhq/wrtc's). */
export function mediaStreamOf(webrtc: WebRTCImpl): typeof MediaStream | undefined {
  return webrtc.MediaStream ?? (typeof MediaStream === 'undefined' ? undefined : MediaStream);
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
  /**
   * Frames are to be encrypted (E2EE on, or its key on the way). A sender whose transform may not
   * apply then sends nothing (a screen's audio on the SFU, SfuSession).
   */
  readonly encrypting: boolean;
}

/**
 * One way of moving this participant's media: directly to one peer (P2P) or to the server's SFU.
 * `MediaPaths` keeps one current path and replaces it when the server changes the media mode.
 */
export interface MediaPath {
  readonly kind: 'p2p' | 'sfu';
  /** Swaps the outgoing track of that kind without renegotiating (mute, camera change). */
  replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void>;
  /** Starts sending this screen (or, undefined, stops), beside the camera (screen/screenSender.ts). */
  setScreen(screen: ScreenTracks | undefined): Promise<void>;
  /** The transforms started or stopped encrypting (`MediaTransforms.encrypting`). */
  encryptionChanged(): Promise<void>;
  getStats(): Promise<RTCStatsReport>;
  close(): void;
}

/** What every path tells its owner. */
type PathEvents<Signal> = {
  /** Negotiation to relay through the server. */
  signal: [Signal];
  track: [RemoteTrack];
  state: [RTCPeerConnectionState];
};

/** The subscription half of `Emitter`, so a path's events can be typed without naming a class. */
interface Events<E extends { [K in keyof E]: unknown[] }> {
  on<K extends keyof E>(event: K, listener: (...args: E[K]) => void): () => void;
}

export type P2PPathEvents = PathEvents<SignalPayload>;

/** A direct connection to the one other participant (media/p2p/P2PSession.ts). */
export interface P2PPath extends MediaPath, Events<P2PPathEvents> {
  readonly kind: 'p2p';
  readonly peerId: string;
  handleSignal(payload: SignalPayload): Promise<void>;
}

export type SfuPathEvents = PathEvents<SfuSignal> & {
  /** Only a new session brings media back (the engine cannot restart ICE). Once. */
  lost: [];
};

/** A connection to the server's media engine (media/sfu/SfuSession.ts). */
export interface SfuPath extends MediaPath, Events<SfuPathEvents> {
  readonly kind: 'sfu';
  handleSignal(payload: EngineSignal): Promise<void>;
  /** Which participants' video this client shows, and how tall, so the engine sends what fits. */
  setVideoConstraints(constraints: VideoConstraints): void;
}

/** Opens the paths `MediaPaths` switches between; the real sessions, or stand-ins in unit tests. */
export interface MediaPathFactory {
  p2p(peerId: string, offerer: boolean): P2PPath;
  sfu(): SfuPath;
}
