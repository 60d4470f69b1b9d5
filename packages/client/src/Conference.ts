import type {
  IceServer,
  MediaMode,
  ParticipantInfo,
  ServerMessage,
  ServerMessageOf,
} from '@conclave/protocol';
import { Emitter } from './events.js';
import type { MediaPath, RemoteTrack, WebRTCImpl } from './media/MediaPath.js';
import { P2PSession } from './media/p2p/P2PSession.js';
import { SignalingClient, type WebSocketConstructor } from './signaling/SignalingClient.js';

export interface JoinOptions {
  /** The Conclave server, e.g. `https://meet.example.org` or `http://127.0.0.1:8080`. */
  serverUrl: string;
  room: string;
  displayName?: string;
  email?: string;
  /** Local tracks to publish; at most one audio and one video track. */
  localTracks?: MediaStreamTrack[];
  /** Browsers use the globals; Node load bots pass @roamhq/wrtc and the `ws` WebSocket. */
  webrtc?: WebRTCImpl;
  WebSocket?: WebSocketConstructor;
}

export type LeaveReason = 'left' | 'disconnected';

export type ConferenceEvents = {
  participantJoined: [ParticipantInfo];
  participantLeft: [ParticipantInfo, LeaveReason];
  participantUpdated: [ParticipantInfo];
  /** This participant's own info changed (e.g. became moderator). */
  selfUpdated: [ParticipantInfo];
  mediaModeChanged: [MediaMode];
  trackAdded: [RemoteTrack];
  trackRemoved: [RemoteTrack];
  /** State of the current media path's connection. */
  mediaConnectionState: [RTCPeerConnectionState];
  /** The conference ended for this participant: by `leave()` or because the connection dropped. */
  left: [{ reason: LeaveReason }];
};

/**
 * The headless meeting API: everything a UI, a test or a load bot needs to take part in a meeting,
 * with no DOM. The server decides the media mode; the Conference follows it by opening the matching
 * media path and closing the old one.
 */
export class Conference extends Emitter<ConferenceEvents> {
  readonly #signaling: SignalingClient;
  readonly #participants = new Map<string, ParticipantInfo>();
  readonly #remoteTracks = new Map<string, RemoteTrack[]>();
  readonly #localTracks: MediaStreamTrack[];
  readonly #localStream: MediaStream | undefined;
  readonly #webrtc: WebRTCImpl;
  readonly #iceServers: IceServer[];
  #self: ParticipantInfo;
  #mode: MediaMode = 'none';
  #path: MediaPath | undefined;
  #left = false;

  readonly meetingId: string;

  static async join(options: JoinOptions): Promise<Conference> {
    const signaling = await SignalingClient.connect(signalingUrl(options.serverUrl), options.WebSocket);
    try {
      const joined = signaling.waitFor('joined', 'join');
      signaling.send({
        type: 'join',
        room: options.room,
        ...(options.displayName ? { displayName: options.displayName } : {}),
        ...(options.email ? { email: options.email } : {}),
      });
      return new Conference(signaling, await joined, options);
    } catch (err) {
      signaling.close();
      throw err;
    }
  }

  private constructor(signaling: SignalingClient, joined: ServerMessageOf<'joined'>, options: JoinOptions) {
    super();
    this.#signaling = signaling;
    this.meetingId = joined.meetingId;
    this.#self = joined.self;
    this.#iceServers = joined.iceServers;
    this.#localTracks = options.localTracks ?? [];
    this.#webrtc = options.webrtc ?? { RTCPeerConnection: globalThis.RTCPeerConnection };
    this.#localStream =
      this.#localTracks.length && typeof MediaStream !== 'undefined'
        ? new MediaStream(this.#localTracks)
        : undefined;
    for (const p of joined.participants) this.#participants.set(p.id, p);
    this.#mode = joined.mode;
    signaling.on('message', (m) => this.#onMessage(m));
    signaling.on('closed', () => this.#end('disconnected'));
  }

  get self(): ParticipantInfo {
    return this.#self;
  }

  /** The other participants. */
  get participants(): ReadonlyMap<string, ParticipantInfo> {
    return this.#participants;
  }

  get mediaMode(): MediaMode {
    return this.#mode;
  }

  get remoteTracks(): RemoteTrack[] {
    return [...this.#remoteTracks.values()].flat();
  }

  get localTracks(): readonly MediaStreamTrack[] {
    return this.#localTracks;
  }

  /** Statistics of the current media path, or undefined when there is none. */
  async getStats(): Promise<RTCStatsReport | undefined> {
    return this.#path?.getStats();
  }

  setAudioMuted(muted: boolean): void {
    this.#setEnabled('audio', !muted);
  }

  setVideoMuted(muted: boolean): void {
    this.#setEnabled('video', !muted);
  }

  get audioMuted(): boolean {
    return this.#self.audioMuted;
  }

  get videoMuted(): boolean {
    return this.#self.videoMuted;
  }

  setProfile(profile: { displayName?: string | null; email?: string | null }): void {
    this.#signaling.send({
      type: 'setProfile',
      displayName: profile.displayName ?? null,
      email: profile.email ?? null,
    });
  }

  /** Leaves the meeting; idempotent. Local tracks stay with their owner, who may stop them. */
  async leave(): Promise<void> {
    if (this.#left) return;
    try {
      const left = this.#signaling.waitFor('left', 'leave');
      this.#signaling.send({ type: 'leave' });
      await Promise.race([left, new Promise((resolve) => setTimeout(resolve, 2000))]);
    } catch {
      // The connection is already gone; leaving locally is all that is left to do.
    }
    this.#end('left');
  }

  #setEnabled(kind: 'audio' | 'video', enabled: boolean): void {
    for (const t of this.#localTracks) if (t.kind === kind) t.enabled = enabled;
    const audioMuted = kind === 'audio' ? !enabled : this.#self.audioMuted;
    const videoMuted = kind === 'video' ? !enabled : this.#self.videoMuted;
    this.#self = { ...this.#self, audioMuted, videoMuted };
    if (!this.#signaling.closed) this.#signaling.send({ type: 'setMediaState', audioMuted, videoMuted });
    this.emit('selfUpdated', this.#self);
  }

  #onMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'participantJoined':
        this.#participants.set(message.participant.id, message.participant);
        return this.emit('participantJoined', message.participant);
      case 'participantLeft': {
        const info = this.#participants.get(message.id);
        this.#participants.delete(message.id);
        this.#dropRemoteTracks(message.id);
        if (info) this.emit('participantLeft', info, message.reason);
        return;
      }
      case 'participantUpdated':
        if (message.participant.id === this.#self.id) {
          this.#self = message.participant;
          return this.emit('selfUpdated', this.#self);
        }
        this.#participants.set(message.participant.id, message.participant);
        return this.emit('participantUpdated', message.participant);
      case 'mediaMode':
        return this.#onMediaMode(message);
      case 'signal':
        if (this.#path instanceof P2PSession && this.#path.peerId === message.from) {
          this.#path.handleSignal(message).catch(() => this.emit('mediaConnectionState', 'failed'));
        }
        return;
      case 'mediaSignal':
      case 'welcome':
      case 'joined':
      case 'left':
      case 'error':
        return;
      default: {
        const unhandled: never = message;
        return unhandled;
      }
    }
  }

  #onMediaMode(message: ServerMessageOf<'mediaMode'>): void {
    const modeChanged = message.mode !== this.#mode;
    this.#mode = message.mode;
    const current = this.#path;
    const keep =
      message.mode === 'p2p' && current instanceof P2PSession && current.peerId === message.peer?.id;
    if (!keep) {
      if (message.mode === 'p2p' && message.peer) this.#openP2P(message.peer.id, message.peer.offerer);
      else this.#path = undefined;
      // The new path is up (or there is none to be had) before the old one goes.
      current?.close();
    }
    if (modeChanged) this.emit('mediaModeChanged', message.mode);
  }

  #openP2P(peerId: string, offerer: boolean): void {
    const session = new P2PSession({
      peerId,
      offerer,
      iceServers: this.#iceServers,
      localTracks: this.#localTracks,
      localStream: this.#localStream,
      webrtc: this.#webrtc,
    });
    session.on('signal', (payload) => {
      if (!this.#signaling.closed) this.#signaling.send({ type: 'signal', to: peerId, ...payload });
    });
    session.on('track', (remote) => {
      const list = this.#remoteTracks.get(remote.participantId) ?? [];
      list.push(remote);
      this.#remoteTracks.set(remote.participantId, list);
      remote.track.addEventListener('ended', () => this.#dropRemoteTrack(remote));
      this.emit('trackAdded', remote);
    });
    session.on('state', (state) => {
      this.emit('mediaConnectionState', state);
      if (state === 'closed' || state === 'failed') this.#dropRemoteTracks(peerId);
    });
    this.#path = session;
  }

  #dropRemoteTrack(remote: RemoteTrack): void {
    const list = this.#remoteTracks.get(remote.participantId);
    if (!list?.includes(remote)) return;
    this.#remoteTracks.set(
      remote.participantId,
      list.filter((r) => r !== remote),
    );
    this.emit('trackRemoved', remote);
  }

  #dropRemoteTracks(participantId: string): void {
    for (const remote of this.#remoteTracks.get(participantId) ?? []) this.emit('trackRemoved', remote);
    this.#remoteTracks.delete(participantId);
  }

  #end(reason: LeaveReason): void {
    if (this.#left) return;
    this.#left = true;
    this.#path?.close();
    this.#path = undefined;
    for (const id of [...this.#remoteTracks.keys()]) this.#dropRemoteTracks(id);
    this.#participants.clear();
    this.#signaling.close();
    this.emit('left', { reason });
    this.removeAllListeners();
  }
}

/** `http(s)://host` → `ws(s)://host/ws`; a ws(s) URL is used as given. */
export function signalingUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (url.protocol === 'ws:' || url.protocol === 'wss:') return url.toString();
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = '/ws';
  url.search = '';
  url.hash = '';
  return url.toString();
}
