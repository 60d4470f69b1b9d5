import {
  type ClientMessageOf,
  MAX_VIDEO_HEIGHT,
  type MediaMode,
  type ServerMessageOf,
} from '@conclave/protocol';
import { Emitter } from '../Emitter.js';
import { Handover } from './Handover.js';
import type { MediaPathFactory, P2PPath, RemoteTrack, ScreenTracks, SfuPath } from './MediaPath.js';
import { MediaWatch } from './MediaWatch.js';
import { RemoteTracks } from './RemoteTracks.js';

/** Tile size changes within this window go to the SFU in one `videoConstraints` message. */
export const VIDEO_CONSTRAINTS_DELAY_MS = 200;

/** At most this many tiles go in one `videoConstraints` message (the protocol's bound). */
const MAX_TILES = 256;
/** At most this many pins go in one `videoConstraints` message (the protocol's bound). */
const MAX_PINNED = 16;

export interface MediaPathsOptions {
  /** Opens P2P and SFU paths: the real sessions, or stand-ins in unit tests. */
  open: MediaPathFactory;
  /** The media mode in the `joined` answer; `sfu` opens an SFU path at once. */
  mode: MediaMode;
  /** Sends negotiation to the server (dropped once the connection is gone). */
  send(
    message: ClientMessageOf<'signal'> | ClientMessageOf<'mediaSignal'> | ClientMessageOf<'mediaStatus'>,
  ): void;
  /** False where this runtime has no WebRTC: no path is ever opened (the server was told at join). */
  canConnect: boolean;
  /** How long a path may take to connect before the server is told it failed (MediaWatch). */
  mediaTimeoutMs?: number | undefined;
  /** Whether someone is in the meeting now: the engine may still announce someone who just left. */
  isParticipant(participantId: string): boolean;
  /** How many remote videos a new path should decode before the old one goes (media/Handover.ts). */
  expectedVideos(): number;
}

export type MediaPathsEvents = {
  trackAdded: [RemoteTrack];
  trackRemoved: [RemoteTrack];
  /** State of the current path's connection; `failed` also when negotiating on it failed. */
  connectionState: [RTCPeerConnectionState];
};

type Path = P2PPath | SfuPath;

/**
 * The one owner of this participant's media paths (as LiveKit's PCTransportManager owns its
 * transports): it follows the server's `mediaMode` by opening the matching path and handing over
 * from the old one without a gap, routes each incoming negotiation message to the path it belongs
 * to (dropping it when that path is gone), keeps the remote tracks each path delivered, and sends
 * the SFU the tile sizes and pins it needs for simulcast and last-N. The Conference never asks
 * which path it has.
 */
export class MediaPaths extends Emitter<MediaPathsEvents> {
  readonly #options: MediaPathsOptions;
  #mode: MediaMode;
  #path: Path | undefined;
  readonly #remoteTracks = new RemoteTracks({
    added: (remote) => this.emit('trackAdded', remote),
    removed: (remote) => this.emit('trackRemoved', remote),
  });
  /** The path being replaced: it carries media until the current one connects. */
  readonly #handover: Handover<Path>;
  /** Height (device pixels) at which the UI shows each participant's video; 0 = not shown. */
  readonly #tileHeights = new Map<string, number>();
  /** Participants this client pins: the engine keeps their video under last-N and serves them first. */
  #pinned: readonly string[] = [];
  #videoConstraintsTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  readonly #watch: MediaWatch;

  constructor(options: MediaPathsOptions) {
    super();
    this.#options = options;
    this.#watch = new MediaWatch(
      (connected) => options.send({ type: 'mediaStatus', connected }),
      options.mediaTimeoutMs,
    );
    this.#mode = options.mode;
    this.#handover = new Handover<Path>({
      release: (path) => this.#remoteTracks.dropPath(path),
      expectedVideos: () => options.expectedVideos(),
    });
    // Joining a meeting already on the SFU: the engine's offer follows the `joined` answer.
    if (options.mode === 'sfu' && options.canConnect) this.#switchTo(this.#openSfu());
  }

  get mode(): MediaMode {
    return this.#mode;
  }

  get remoteTracks(): RemoteTrack[] {
    return this.#remoteTracks.all();
  }

  /** Statistics of the current path, or undefined when there is none. */
  async getStats(): Promise<RTCStatsReport | undefined> {
    return this.#path?.getStats();
  }

  /** Swaps the outgoing track of that kind on the current path and on one still handing over. */
  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack): Promise<void> {
    const paths = [this.#path, this.#handover.previous].filter((p): p is Path => p !== undefined);
    await Promise.all(paths.map((path) => path.replaceTrack(kind, track)));
  }

  /**
   * Follows the server's media mode: a new path becomes current at once and the old one hands
   * over to it (a P2P path to the same peer is kept). Returns whether the mode changed.
   */
  follow({ mode, peer }: Omit<ServerMessageOf<'mediaMode'>, 'type'>): boolean {
    const changed = mode !== this.#mode;
    this.#mode = mode;
    const current = this.#path;
    const keep = mode === 'p2p' && current?.kind === 'p2p' && current.peerId === peer?.id;
    if (!this.#options.canConnect) this.#switchTo(undefined);
    else if (!keep) {
      if (mode === 'p2p' && peer) this.#switchTo(this.#openP2P(peer.id, peer.offerer));
      else if (mode === 'sfu') this.#switchTo(this.#openSfu());
      else this.#switchTo(undefined);
    }
    return changed;
  }

  /**
   * Negotiation from the peer (`signal`) goes to the current path if it is P2P to that peer; from
   * the engine (`mediaSignal`) to the SFU path, current or still carrying media while a P2P path
   * comes up. A message for a path that is gone is dropped.
   */
  handleSignal(message: ServerMessageOf<'signal'> | ServerMessageOf<'mediaSignal'>): void {
    if (message.type === 'signal') {
      const path = this.#path;
      if (path?.kind !== 'p2p' || path.peerId !== message.from) return;
      path.handleSignal(message).catch(() => this.emit('connectionState', 'failed'));
      return;
    }
    const sfu = [this.#path, this.#handover.previous].find((p): p is SfuPath => p?.kind === 'sfu');
    sfu?.handleSignal(message).catch(() => {
      if (sfu === this.#path) this.emit('connectionState', 'failed');
    });
  }

  /**
   * The height (device pixels; 0 = not shown) at which this client shows a participant's video.
   * Remembered across SFU paths and sent to the current one (batched); P2P ignores it.
   */
  setVideoConstraint(participantId: string, height: number): void {
    const value = Math.max(0, Math.min(MAX_VIDEO_HEIGHT, Math.round(height)));
    if (this.#tileHeights.get(participantId) === value) return;
    this.#tileHeights.set(participantId, value);
    this.#scheduleVideoConstraints();
  }

  /**
   * Whom this client pins (empty: nobody). Remembered across SFU paths and sent to the current
   * one with the tile heights (batched); P2P ignores it.
   */
  setPinned(participantIds: readonly string[]): void {
    const next = [...new Set(participantIds)];
    if (next.length === this.#pinned.length && next.every((id, i) => id === this.#pinned[i])) return;
    this.#pinned = next;
    this.#scheduleVideoConstraints();
  }

  /**
   * This participant's screen: sent on the current path and on the one handing over to it (new
   * paths take it from the factory). Undefined stops it.
   */
  async setScreen(screen: ScreenTracks | undefined): Promise<void> {
    const paths = [this.#path, this.#handover.previous].filter((p): p is Path => p !== undefined);
    await Promise.all(paths.map((p) => p.setScreen(screen)));
  }

  /** E2EE started or stopped encrypting: every path re-checks what it may send (MediaPath). */
  async encryptionChanged(): Promise<void> {
    const paths = [this.#path, this.#handover.previous].filter((p): p is Path => p !== undefined);
    await Promise.all(paths.map((p) => p.encryptionChanged()));
  }

  /** Someone stopped presenting: their screen's tracks go (also if the renegotiation is late). */
  dropScreen(participantId: string): void {
    this.#remoteTracks.dropScreen(participantId);
  }

  /** Someone left: their tracks go, and their tile size and pin are forgotten. */
  dropParticipant(participantId: string): void {
    this.#tileHeights.delete(participantId);
    this.#pinned = this.#pinned.filter((id) => id !== participantId);
    this.#remoteTracks.dropParticipant(participantId);
  }

  /** Closes every path at once and drops every remote track (leaving the meeting). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#videoConstraintsTimer);
    this.#watch.stopped();
    this.#handover.close();
    this.#path?.close();
    this.#path = undefined;
    this.#remoteTracks.clear();
    this.removeAllListeners();
  }

  #scheduleVideoConstraints(): void {
    if (this.#videoConstraintsTimer || this.#closed) return;
    this.#videoConstraintsTimer = setTimeout(() => {
      this.#videoConstraintsTimer = undefined;
      const path = this.#path;
      if (path?.kind !== 'sfu') return;
      const tiles = [...this.#tileHeights]
        .filter(([id]) => this.#options.isParticipant(id))
        .slice(0, MAX_TILES)
        .map(([participantId, height]) => ({ participantId, height }));
      const pinned = this.#pinned.filter((id) => this.#options.isParticipant(id)).slice(0, MAX_PINNED);
      path.setVideoConstraints(pinned.length ? { tiles, pinned } : { tiles });
    }, VIDEO_CONSTRAINTS_DELAY_MS);
  }

  /** Makes `next` the current path; the old one hands over to it without a gap (media/Handover.ts). */
  #switchTo(next: Path | undefined): void {
    const old = this.#path;
    this.#path = next;
    this.#handover.finish();
    if (next) this.#watch.started();
    else this.#watch.stopped();
    if (!old) return;
    if (!next) {
      old.close();
      this.#remoteTracks.dropPath(old);
      return;
    }
    this.#handover.begin(old);
  }

  #onState(path: Path, state: RTCPeerConnectionState): void {
    if (path === this.#path) {
      this.#watch.state(state);
      this.emit('connectionState', state);
      if (state === 'connected') this.#handover.connected(path);
    }
    // A failed P2P path restarts ICE and keeps its receivers; an SFU path that failed is over.
    if (state === 'closed' || (state === 'failed' && path.kind === 'sfu')) this.#remoteTracks.dropPath(path);
  }

  #openSfu(): SfuPath {
    const path = this.#options.open.sfu();
    path.on('signal', (payload) => this.#options.send({ type: 'mediaSignal', ...payload }));
    path.on('track', (remote) => {
      // The engine may still announce someone who has just left; their tracks end with the renegotiation.
      if (this.#options.isParticipant(remote.participantId)) this.#remoteTracks.add(path, remote);
    });
    path.on('state', (state) => this.#onState(path, state));
    // Only for the current path: the server's session is per participant, and an old SFU path
    // (being replaced after a reopen) must not take the new one down with it.
    path.on('lost', () => {
      if (path === this.#path) this.#options.send({ type: 'mediaSignal', restart: true });
    });
    // The new engine session learns the tile sizes too (sent once it is the current path).
    if (this.#tileHeights.size > 0 || this.#pinned.length > 0) this.#scheduleVideoConstraints();
    return path;
  }

  #openP2P(peerId: string, offerer: boolean): P2PPath {
    const path = this.#options.open.p2p(peerId, offerer);
    path.on('signal', (payload) => {
      // A P2P path handing over to the SFU cannot negotiate any more: the server relays P2P
      // signals only in P2P mode, and refuses the rest.
      if (path === this.#path) this.#options.send({ type: 'signal', to: peerId, ...payload });
    });
    path.on('track', (remote) => this.#remoteTracks.add(path, remote));
    path.on('state', (state) => this.#onState(path, state));
    return path;
  }
}
