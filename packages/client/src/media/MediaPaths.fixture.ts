import type { ClientMessageOf, MediaMode, ServerMessageOf, VideoConstraints } from '@conclave/protocol';
import { Emitter } from '../Emitter.js';
import type {
  EngineSignal,
  P2PPath,
  P2PPathEvents,
  RemoteTrack,
  ScreenTracks,
  SfuPath,
  SfuPathEvents,
  SignalPayload,
} from './MediaPath.js';
import { MediaPaths } from './MediaPaths.js';

/*
 * MediaPaths is driven here through stand-ins for the MediaPath interface: the real P2PSession and
 * SfuSession need a browser (or @roamhq/wrtc) and are covered by the e2e and bench tiers. What is
 * tested is MediaPaths' own logic: which path is current, handover, routing, tracks, constraints.
 */

/** A path that records what it was given and lets the test play the connection's part. */
export class FakePath<E extends { [K in keyof E]: unknown[] }> extends Emitter<E> {
  readonly handled: (SignalPayload | EngineSignal)[] = [];
  closed = false;
  /** Remote videos its getStats reports as decoding. */
  decoding = 0;
  /** Makes the next handleSignal reject, as a failed setRemoteDescription would. */
  failNext = false;

  fire<K extends keyof E>(event: K, ...args: E[K]): void {
    this.emit(event, ...args);
  }

  async handleSignal(payload: SignalPayload | EngineSignal): Promise<void> {
    this.handled.push(payload);
    if (this.failNext) throw new Error('negotiation failed');
  }

  async replaceTrack(): Promise<void> {}

  screen: ScreenTracks | undefined;
  async setScreen(screen: ScreenTracks | undefined): Promise<void> {
    this.screen = screen;
  }

  /** How many times it was told that encryption started or stopped. */
  encryptionChanges = 0;
  async encryptionChanged(): Promise<void> {
    this.encryptionChanges++;
  }

  async getStats(): Promise<RTCStatsReport> {
    const report = new Map<string, object>();
    for (let i = 0; i < this.decoding; i++)
      report.set(`in${i}`, { type: 'inbound-rtp', kind: 'video', framesDecoded: 10 });
    return report as unknown as RTCStatsReport;
  }

  close(): void {
    this.closed = true;
  }
}

export class FakeP2P extends FakePath<P2PPathEvents> implements P2PPath {
  readonly kind = 'p2p';
  constructor(
    readonly peerId: string,
    readonly offerer: boolean,
  ) {
    super();
  }
}

export class FakeSfu extends FakePath<SfuPathEvents> implements SfuPath {
  readonly kind = 'sfu';
  readonly constraints: VideoConstraints[] = [];
  setVideoConstraints(constraints: VideoConstraints): void {
    this.constraints.push(constraints);
  }
}

/** A remote track; MediaPaths only listens for its `ended`. */
export function remote(
  participantId: string,
  kind: 'audio' | 'video' = 'video',
  source: 'camera' | 'screen' = 'camera',
): RemoteTrack {
  const track = Object.assign(new EventTarget(), { kind }) as unknown as MediaStreamTrack;
  return { participantId, track, stream: {} as MediaStream, source };
}

export function setup(mode: MediaMode = 'none', participants = ['bob', 'carol'], canConnect = true) {
  const opened: (FakeP2P | FakeSfu)[] = [];
  const sent: (
    | ClientMessageOf<'signal'>
    | ClientMessageOf<'mediaSignal'>
    | ClientMessageOf<'mediaStatus'>
  )[] = [];
  const present = new Set(participants);
  const paths = new MediaPaths({
    open: {
      p2p: (peerId, offerer) => {
        const path = new FakeP2P(peerId, offerer);
        opened.push(path);
        return path;
      },
      sfu: () => {
        const path = new FakeSfu();
        opened.push(path);
        return path;
      },
    },
    mode,
    canConnect,
    mediaTimeoutMs: 15_000,
    send: (message) => sent.push(message),
    isParticipant: (id) => present.has(id),
    expectedVideos: () => present.size,
  });
  const tracks: RemoteTrack[] = [];
  const states: RTCPeerConnectionState[] = [];
  paths.on('trackAdded', (t) => tracks.push(t));
  paths.on('trackRemoved', (t) => tracks.splice(tracks.indexOf(t), 1));
  paths.on('connectionState', (s) => states.push(s));
  const last = () => opened[opened.length - 1];
  return { paths, opened, sent, present, tracks, states, last };
}

export const p2pTo = (id: string, offerer = true) => ({ mode: 'p2p' as const, peer: { id, offerer } });
export const sfu = { mode: 'sfu' as const };
export const peerSignal = (from: string): ServerMessageOf<'signal'> => ({
  type: 'signal',
  from,
  candidate: { candidate: `candidate:${from}` },
});
export const engineSignal = (n: number): ServerMessageOf<'mediaSignal'> => ({
  type: 'mediaSignal',
  maxSendHeight: n,
});
