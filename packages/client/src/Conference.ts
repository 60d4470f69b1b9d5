import type {
  IceServer,
  Knocker,
  MediaMode,
  ParticipantInfo,
  RecordingDestination,
  RecordingOptions,
  RoomState,
  ServerMessage,
  ServerMessageOf,
  SpeakerStat,
} from '@conclave/protocol';
import { type ChatEntry, ChatLog } from './chat/ChatLog.js';
import { E2EEManager } from './e2ee/E2EEManager.js';
import type { CryptorStats, DecryptState } from './e2ee/FrameCryptor.js';
import { Emitter } from './events.js';
import { Handover } from './media/Handover.js';
import type { MediaPath, RemoteTrack, WebRTCImpl } from './media/MediaPath.js';
import { P2PSession } from './media/p2p/P2PSession.js';
import { RemoteTracks } from './media/RemoteTracks.js';
import { SpeakingReporter } from './media/SpeakingDetector.js';
import { SfuSession } from './media/sfu/SfuSession.js';
import { ServerError, SignalingClient, type WebSocketConstructor } from './signaling/SignalingClient.js';

/** Tile size changes within this window go to the SFU in one `videoConstraints` message. */
const VIDEO_CONSTRAINTS_DELAY_MS = 200;

export interface JoinOptions {
  /** The Conclave server, e.g. `https://meet.example.org` or `http://127.0.0.1:8080`. */
  serverUrl: string;
  room: string;
  displayName?: string;
  email?: string;
  /** The meeting password, when the meeting is locked; it also lets its holder skip the lobby. */
  password?: string;
  /** Called when the meeting has a lobby and this join waits for a moderator. */
  onLobbyWaiting?: () => void;
  /** Aborts a join that is still connecting or waiting in the lobby. */
  signal?: AbortSignal;
  /** Local tracks to publish; at most one audio and one video track. */
  localTracks?: MediaStreamTrack[];
  /** Browsers use the globals; Node load bots pass @roamhq/wrtc and the `ws` WebSocket. */
  webrtc?: WebRTCImpl;
  /**
   * `'relay'` sends all media through the TURN server the Conclave server hands out (hides this
   * device's address from the peer in P2P; the path for UDP-blocked networks). Default `'all'`.
   */
  iceTransportPolicy?: RTCIceTransportPolicy;
  WebSocket?: WebSocketConstructor;
}

export type LeaveReason = 'left' | 'disconnected' | 'kicked';

export type { ChatEntry } from './chat/ChatLog.js';

export type ConferenceEvents = {
  participantJoined: [ParticipantInfo];
  participantLeft: [ParticipantInfo, LeaveReason];
  roomUpdated: [RoomState];
  /** Moderators: someone is waiting in the lobby. */
  knock: [Knocker];
  /** Moderators: a knock was decided or withdrawn. */
  knockResolved: [{ id: string; outcome: 'admitted' | 'denied' | 'withdrawn' }];
  chatMessage: [ChatEntry];
  /** A moderator asked this participant to mute; the microphone has been muted. */
  muteRequested: [{ by: string }];
  dominantSpeaker: [string | null];
  /** Whether this participant can decrypt someone's end-to-end encrypted media (wrong key → `cannot-decrypt`). */
  decryptState: [{ participantId: string; state: DecryptState }];
  /** This participant turned end-to-end encryption on or off. */
  e2eeChanged: [boolean];
  /** The server refused something this participant asked for (e.g. NOT_MODERATOR). */
  serverError: [{ code: string; message: string; inReplyTo?: string }];
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
  /**
   * A recording started or stopped (PRIVACY P13: show an indicator while `recording` is true).
   * `by` is who did it (null: the server, e.g. because E2EE was turned on).
   */
  recording: [Omit<ServerMessageOf<'recording'>, 'type'>];
  /** What happened to the recording after it stopped: processing, uploading, retrying, uploaded, failed. */
  recordingUpload: [Omit<ServerMessageOf<'recordingUpload'>, 'type'>];
};

/**
 * The headless meeting API: everything a UI, a test or a load bot needs to take part in a meeting,
 * with no DOM. The server decides the media mode; the Conference follows it by opening the matching
 * media path and closing the old one.
 */
export class Conference extends Emitter<ConferenceEvents> {
  readonly #signaling: SignalingClient;
  readonly #participants = new Map<string, ParticipantInfo>();
  readonly #remoteTracks = new RemoteTracks({
    added: (remote) => this.emit('trackAdded', remote),
    removed: (remote) => this.emit('trackRemoved', remote),
  });
  readonly #localTracks: MediaStreamTrack[];
  readonly #localStream: MediaStream | undefined;
  readonly #webrtc: WebRTCImpl;
  readonly #iceServers: IceServer[];
  readonly #iceTransportPolicy: RTCIceTransportPolicy;
  #self: ParticipantInfo;
  #mode: MediaMode = 'none';
  #path: MediaPath | undefined;
  /** The path being replaced: it carries media until the current one connects. */
  readonly #handover = new Handover({
    release: (path) => this.#remoteTracks.dropPath(path),
    expectedVideos: () => [...this.#participants.values()].filter((p) => !p.videoMuted).length,
  });
  #left = false;
  #room: RoomState;
  readonly #knocking = new Map<string, Knocker>();
  readonly #chat: ChatLog;
  #dominantSpeaker: string | null = null;
  readonly #speaking = new SpeakingReporter({
    stats: async () => this.#path?.getStats(),
    muted: () => this.#self.audioMuted,
    report: (speaking) => {
      if (this.#signaling.closed) return false;
      this.#signaling.send({ type: 'speaking', speaking });
      return true;
    },
  });
  /** Present where the browser can transform encoded frames; attached to every path (off = pass-through). */
  readonly #e2ee: E2EEManager | undefined;
  /** Height (device pixels) at which the UI shows each participant's video; 0 = not shown. */
  readonly #tileHeights = new Map<string, number>();
  #videoConstraintsTimer: ReturnType<typeof setTimeout> | undefined;

  readonly meetingId: string;
  /** What this server offers for recording; undefined when it cannot record. */
  readonly recordingOptions: RecordingOptions | undefined;

  static async join(options: JoinOptions): Promise<Conference> {
    const signaling = await SignalingClient.connect(signalingUrl(options.serverUrl), options.WebSocket);
    const offWaiting = signaling.on('message', (m) => {
      if (m.type === 'lobbyWaiting') options.onLobbyWaiting?.();
    });
    const aborted = new Promise<never>((_, reject) => {
      const abort = () => reject(new ServerError('ABORTED', 'The join was cancelled.'));
      if (options.signal?.aborted) abort();
      options.signal?.addEventListener('abort', abort, { once: true });
    });
    try {
      const joined = signaling.waitFor('joined', 'join');
      signaling.send({
        type: 'join',
        room: options.room,
        ...(options.displayName ? { displayName: options.displayName } : {}),
        ...(options.email ? { email: options.email } : {}),
        ...(options.password ? { password: options.password } : {}),
        // Lets the others' UI tell "cannot encrypt" from "chose not to" (docs/e2ee.md).
        e2eeSupported: canDoE2EE(),
      });
      return new Conference(signaling, await Promise.race([joined, aborted]), options);
    } catch (err) {
      signaling.close();
      throw err;
    } finally {
      offWaiting();
    }
  }

  private constructor(signaling: SignalingClient, joined: ServerMessageOf<'joined'>, options: JoinOptions) {
    super();
    this.#signaling = signaling;
    this.meetingId = joined.meetingId;
    this.#self = joined.self;
    this.#iceServers = joined.iceServers;
    this.#iceTransportPolicy = options.iceTransportPolicy ?? 'all';
    this.#localTracks = options.localTracks ?? [];
    this.#webrtc = options.webrtc ?? { RTCPeerConnection: globalThis.RTCPeerConnection };
    this.#localStream =
      this.#localTracks.length && typeof MediaStream !== 'undefined'
        ? new MediaStream(this.#localTracks)
        : undefined;
    for (const p of joined.participants) this.#participants.set(p.id, p);
    for (const k of joined.knocking) this.#knocking.set(k.id, k);
    this.#room = joined.room;
    this.recordingOptions = joined.recordingOptions;
    this.#e2ee = createE2EE(joined.meetingId, joined.self.e2eeIndex);
    this.#e2ee?.on('decryptState', (change) => this.emit('decryptState', change));
    this.#chat = new ChatLog(this.#e2ee, (entry) => {
      if (!this.#left) this.emit('chatMessage', entry);
    });
    for (const m of joined.chatHistory) this.#chat.receive(m, false);
    this.#mode = joined.mode;
    signaling.on('message', (m) => this.#onMessage(m));
    signaling.on('closed', () => this.#end('disconnected'));
    // Joining a meeting already on the SFU: the engine's offer follows the `joined` answer.
    if (joined.mode === 'sfu') this.#switchTo(this.#openSfu());
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
    return this.#remoteTracks.all();
  }

  get localTracks(): readonly MediaStreamTrack[] {
    return this.#localTracks;
  }

  get room(): RoomState {
    return this.#room;
  }

  get isModerator(): boolean {
    return this.#self.role === 'moderator';
  }

  /** Moderators: who is waiting in the lobby. */
  get knocking(): Knocker[] {
    return [...this.#knocking.values()];
  }

  /** The chat as this participant has seen it since joining (plus history, if the server shares it). */
  get chat(): readonly ChatEntry[] {
    return this.#chat.entries;
  }

  get dominantSpeaker(): string | null {
    return this.#dominantSpeaker;
  }

  // Moderator actions. The server checks the role; a refusal arrives as `serverError`.

  setPassword(password: string | null): void {
    this.#signaling.send({ type: 'setPassword', password });
  }

  setLobby(enabled: boolean): void {
    this.#signaling.send({ type: 'setLobby', enabled });
  }

  admit(knockerId: string): void {
    this.#signaling.send({ type: 'lobbyDecision', id: knockerId, admit: true });
  }

  deny(knockerId: string): void {
    this.#signaling.send({ type: 'lobbyDecision', id: knockerId, admit: false });
  }

  kick(participantId: string): void {
    this.#signaling.send({ type: 'kick', id: participantId });
  }

  requestMute(participantId: string): void {
    this.#signaling.send({ type: 'requestMute', id: participantId });
  }

  muteAll(): void {
    this.#signaling.send({ type: 'muteAll' });
  }

  grantModerator(participantId: string): void {
    this.#signaling.send({ type: 'grantModerator', id: participantId });
  }

  /**
   * Moderators: record the meeting to `destination` (one of `recordingOptions.destinations`).
   * Refused with E2EE_ACTIVE while anyone has E2EE on; the `recording` event follows for everyone.
   */
  startRecording(destination: RecordingDestination): void {
    this.#signaling.send({ type: 'startRecording', destination });
  }

  stopRecording(): void {
    this.#signaling.send({ type: 'stopRecording' });
  }

  /** Sends a chat message to everyone, or privately to one participant. */
  async sendChat(text: string, to?: string): Promise<void> {
    const body = await this.#chat.body(text);
    this.#signaling.send({ type: 'chat', body, ...(to ? { to } : {}) });
  }

  /** True where this browser can encrypt media end to end. */
  get e2eeSupported(): boolean {
    return this.#e2ee !== undefined;
  }

  get e2eeEnabled(): boolean {
    return this.#e2ee?.enabled ?? false;
  }

  /** Frames encrypted, decrypted and dropped (by reason) in this browser, when E2EE is available. */
  e2eeStats(): Promise<CryptorStats | undefined> {
    return this.#e2ee ? this.#e2ee.getStats() : Promise.resolve(undefined);
  }

  /** This participant's view of whether it can decrypt someone's media. */
  decryptStateOf(participantId: string): DecryptState | undefined {
    return this.#e2ee?.decryptState(participantId);
  }

  /**
   * Turns end-to-end encryption on with a passphrase every participant enters, changes the
   * passphrase, or (null) turns it off. The passphrase and keys never leave this browser; the server
   * is only told whether this participant encrypts (PRIVACY P11).
   */
  async setE2EE(passphrase: string | null): Promise<void> {
    if (!this.#e2ee)
      throw new ServerError('E2EE_UNSUPPORTED', 'This browser cannot encrypt media end to end.');
    await this.#e2ee.setPassphrase(passphrase);
    this.#signaling.send({ type: 'setE2EE', enabled: passphrase !== null });
    this.emit('e2eeChanged', passphrase !== null);
  }

  /** Dominant-speaker time per participant, from the server's memory of this meeting. */
  async speakerStats(): Promise<SpeakerStat[]> {
    const reply = this.#signaling.waitFor('speakerStats', 'getSpeakerStats');
    this.#signaling.send({ type: 'getSpeakerStats' });
    return (await reply).stats;
  }

  /**
   * Tells the SFU at which height (device pixels; 0 = not shown) this client shows a participant's
   * video, so that it forwards the simulcast layer that fits. Remembered across SFU sessions and
   * sent (batched) whenever on the SFU; P2P ignores it.
   */
  setVideoConstraint(participantId: string, height: number): void {
    const value = Math.max(0, Math.min(10_000, Math.round(height)));
    if (this.#tileHeights.get(participantId) === value) return;
    this.#tileHeights.set(participantId, value);
    this.#scheduleVideoConstraints();
  }

  #scheduleVideoConstraints(): void {
    if (this.#videoConstraintsTimer || this.#left) return;
    this.#videoConstraintsTimer = setTimeout(() => {
      this.#videoConstraintsTimer = undefined;
      if (!(this.#path instanceof SfuSession)) return;
      const tiles = [...this.#tileHeights]
        .filter(([id]) => this.#participants.has(id))
        .slice(0, 256)
        .map(([participantId, height]) => ({ participantId, height }));
      this.#path.setVideoConstraints({ tiles });
    }, VIDEO_CONSTRAINTS_DELAY_MS);
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
      case 'roomUpdated':
        this.#room = message.room;
        return this.emit('roomUpdated', message.room);
      case 'knock':
        this.#knocking.set(message.knocker.id, message.knocker);
        return this.emit('knock', message.knocker);
      case 'knockResolved':
        this.#knocking.delete(message.id);
        return this.emit('knockResolved', { id: message.id, outcome: message.outcome });
      case 'chatMessage':
        return this.#chat.receive(message.message, true);
      case 'muteRequested':
        this.setAudioMuted(true);
        return this.emit('muteRequested', { by: message.by });
      case 'dominantSpeaker':
        this.#dominantSpeaker = message.id;
        return this.emit('dominantSpeaker', message.id);
      case 'removed':
        return this.#end('kicked');
      case 'error':
        return this.emit('serverError', {
          code: message.code,
          message: message.message,
          ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
        });
      case 'participantJoined':
        this.#participants.set(message.participant.id, message.participant);
        return this.emit('participantJoined', message.participant);
      case 'participantLeft': {
        const info = this.#participants.get(message.id);
        this.#participants.delete(message.id);
        this.#tileHeights.delete(message.id);
        this.#e2ee?.removeParticipant(message.id);
        this.#remoteTracks.dropParticipant(message.id);
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
      case 'mediaSignal': {
        // The current SFU path, or the one still carrying media while a P2P path comes up.
        const sfu = [this.#path, this.#handover.previous].find((p) => p instanceof SfuSession);
        sfu?.handleSignal(message).catch(() => {
          if (sfu === this.#path) this.emit('mediaConnectionState', 'failed');
        });
        return;
      }
      case 'recording': {
        const { type: _, ...event } = message;
        this.#room = { ...this.#room, recording: message.recording };
        return this.emit('recording', event);
      }
      case 'recordingUpload': {
        const { type: _, ...event } = message;
        return this.emit('recordingUpload', event);
      }
      case 'welcome':
      case 'joined':
      case 'left':
      case 'lobbyWaiting':
      case 'speakerStats':
      case 'redirect': // followed by the SignalingClient while joining
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
      if (message.mode === 'p2p' && message.peer)
        this.#switchTo(this.#openP2P(message.peer.id, message.peer.offerer));
      else if (message.mode === 'sfu') this.#switchTo(this.#openSfu());
      else this.#switchTo(undefined);
    }
    this.#speaking.set(message.mode === 'p2p');
    if (modeChanged) this.emit('mediaModeChanged', message.mode);
  }

  /** Makes `next` the current path; the old one hands over to it without a gap (media/Handover.ts). */
  #switchTo(next: MediaPath | undefined): void {
    const old = this.#path;
    this.#path = next;
    this.#handover.finish();
    if (!old) return;
    if (!next) return this.#retire(old);
    this.#handover.begin(old);
  }

  #retire(path: MediaPath): void {
    path.close();
    this.#remoteTracks.dropPath(path);
  }

  #onPathState(path: MediaPath, state: RTCPeerConnectionState): void {
    if (path === this.#path) {
      this.emit('mediaConnectionState', state);
      if (state === 'connected') this.#handover.connected(path);
    }
    // A failed P2P path restarts ICE and keeps its receivers; an SFU path that failed is over.
    if (state === 'closed' || (state === 'failed' && !(path instanceof P2PSession)))
      this.#remoteTracks.dropPath(path);
  }

  #openSfu(): SfuSession {
    const session = new SfuSession({
      iceServers: this.#iceServers,
      iceTransportPolicy: this.#iceTransportPolicy,
      localTracks: this.#localTracks,
      localStream: this.#localStream,
      webrtc: this.#webrtc,
      transforms: this.#e2ee,
    });
    session.on('signal', (payload) => {
      if (!this.#signaling.closed) this.#signaling.send({ type: 'mediaSignal', ...payload });
    });
    session.on('track', (remote) => {
      // The engine may still announce someone who has just left; their tracks end with the renegotiation.
      if (this.#participants.has(remote.participantId)) this.#remoteTracks.add(session, remote);
    });
    session.on('state', (state) => this.#onPathState(session, state));
    // Only for the current path: the server's session is per participant, and an old SFU path
    // (being replaced after a reopen) must not take the new one down with it.
    session.on('lost', () => {
      if (session === this.#path && !this.#signaling.closed)
        this.#signaling.send({ type: 'mediaSignal', restart: true });
    });
    // The new engine session learns the tile sizes too (sent once it is the current path).
    if (this.#tileHeights.size > 0) this.#scheduleVideoConstraints();
    return session;
  }

  #openP2P(peerId: string, offerer: boolean): P2PSession {
    const session = new P2PSession({
      peerId,
      offerer,
      iceServers: this.#iceServers,
      iceTransportPolicy: this.#iceTransportPolicy,
      localTracks: this.#localTracks,
      localStream: this.#localStream,
      webrtc: this.#webrtc,
      transforms: this.#e2ee,
    });
    session.on('signal', (payload) => {
      if (!this.#signaling.closed) this.#signaling.send({ type: 'signal', to: peerId, ...payload });
    });
    session.on('track', (remote) => this.#remoteTracks.add(session, remote));
    session.on('state', (state) => this.#onPathState(session, state));
    return session;
  }

  #end(reason: LeaveReason): void {
    if (this.#left) return;
    this.#left = true;
    this.#speaking.stop();
    clearTimeout(this.#videoConstraintsTimer);
    this.#e2ee?.close();
    this.#handover.close();
    this.#path?.close();
    this.#path = undefined;
    this.#remoteTracks.clear();
    this.#participants.clear();
    this.#signaling.close();
    this.emit('left', { reason });
    this.removeAllListeners();
  }
}

/** The same test `createE2EE` makes, so what `join` declares matches `Conference.e2eeSupported`. */
function canDoE2EE(): boolean {
  return typeof Worker !== 'undefined' && E2EEManager.isSupported();
}

function createE2EE(meetingId: string, selfIndex: number): E2EEManager | undefined {
  if (!canDoE2EE()) return undefined;
  return new E2EEManager({ meetingId, selfIndex });
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
