import type {
  ClientMessage,
  Knocker,
  MediaMode,
  ParticipantInfo,
  RecordingOptions,
  RoomState,
  ServerMessage,
  SpeakerStat,
} from '@conclave/protocol';
import type { LeaveReason } from './ConferenceEvents.js';
import { type ChatEntry, ChatLog } from './chat/ChatLog.js';
import { createE2EE } from './e2ee/browserSupport.js';
import type { E2EEManager } from './e2ee/E2EEManager.js';
import type { CryptorStats, DecryptState } from './e2ee/FrameCryptor.js';
import { hasWebRTC, type Joined, type JoinOptions, joinMeeting } from './join.js';
import { mediaStreamOf, type RemoteTrack } from './media/MediaPath.js';
import { MediaPaths } from './media/MediaPaths.js';
import { SpeakingReporter } from './media/SpeakingReporter.js';
import { ScreenShare } from './media/screen/ScreenShare.js';
import { sessionFactory } from './media/sessionFactory.js';
import { Pinning } from './Pinning.js';
import { Roster } from './Roster.js';
import { ServerError } from './signaling/ServerError.js';
import type { SignalingClient } from './signaling/SignalingClient.js';
import { ConnectionQuality, type QualityReading } from './stats/ConnectionQuality.js';

/**
 * The headless meeting API: everything a UI, a test or a load bot needs to take part in a meeting,
 * with no DOM. It puts together the signalling connection, the roster, the media paths (which
 * follow the media mode the server decides), chat and end-to-end encryption, and turns the
 * server's messages into typed events.
 */
export class Conference extends Pinning {
  readonly #signaling: SignalingClient;
  readonly #roster: Roster;
  readonly #media: MediaPaths;
  readonly #localTracks: MediaStreamTrack[];
  #left = false;
  readonly #chat: ChatLog;
  readonly #quality = new ConnectionQuality();
  readonly #speaking = new SpeakingReporter({
    stats: () => this.#media.getStats(),
    muted: () => this.#roster.self.audioMuted,
    report: (speaking) => {
      if (this.#signaling.closed) return false;
      this.#signaling.send({ type: 'speaking', speaking });
      return true;
    },
  });
  /** Present where the browser can transform encoded frames; attached to every path (off = pass-through). */
  readonly #e2ee: E2EEManager | undefined;
  protected readonly screen: ScreenShare;

  readonly meetingId: string;
  /** The signalling URL of the node serving this meeting (after any redirect): a rejoin tries it first. */
  readonly servedBy: string;
  /** False where this browser has no WebRTC: it takes part without audio and video (chat only). */
  readonly canConnectMedia: boolean;
  /** What this server offers for recording; undefined when it cannot record. */
  readonly recordingOptions: RecordingOptions | undefined;

  static async join(options: JoinOptions): Promise<Conference> {
    const tracks = Promise.resolve(options.localTracks ?? []);
    // Marked handled now: a rejection is rethrown below, after the join it may overtake.
    tracks.catch(() => {});
    const joined = await joinMeeting(options);
    try {
      const localTracks = await tracks;
      if (options.signal?.aborted) throw new ServerError('ABORTED', 'The join was cancelled.');
      return new Conference(joined, options, localTracks);
    } catch (err) {
      joined.takeBacklog();
      joined.signaling.close();
      throw err;
    }
  }

  private constructor(
    { signaling, joined, takeBacklog }: Joined,
    options: JoinOptions,
    localTracks: readonly MediaStreamTrack[],
  ) {
    super();
    this.#signaling = signaling;
    this.meetingId = joined.meetingId;
    this.servedBy = signaling.url;
    this.#roster = new Roster(joined);
    // Our own array: replaceLocalTrack swaps entries, and every path reads it when it opens.
    this.#localTracks = [...localTracks];
    this.canConnectMedia = hasWebRTC(options.webrtc);
    this.recordingOptions = joined.recordingOptions;
    this.#e2ee = createE2EE(joined.meetingId, joined.self.e2eeIndex);
    this.#e2ee?.on('decryptState', (change) => this.emit('decryptState', change));
    this.#chat = new ChatLog(this.#e2ee, (entry) => {
      if (!this.#left) this.emit('chatMessage', entry);
    });
    for (const m of joined.chatHistory) this.#chat.receive(m, false);
    const webrtc = options.webrtc ?? { RTCPeerConnection: globalThis.RTCPeerConnection };
    this.screen = new ScreenShare({
      claim: (sharing) => this.#signaling.closed || this.#signaling.send({ type: 'setScreenShare', sharing }),
      setScreen: (screen) => this.#media.setScreen(screen),
      busy: () => this.#roster.screenBusy,
      changed: (sharing) => this.emit('screenShareChanged', sharing),
      MediaStream: mediaStreamOf(webrtc),
    });
    this.#media = new MediaPaths({
      open: sessionFactory({
        iceServers: joined.iceServers,
        iceTransportPolicy: options.iceTransportPolicy ?? 'all',
        localTracks: this.#localTracks,
        webrtc,
        transforms: this.#e2ee,
        screen: () => this.screen.current,
      }),
      mode: joined.mode,
      canConnect: this.canConnectMedia,
      mediaTimeoutMs: options.mediaTimeoutMs,
      send: (message) => {
        if (!this.#signaling.closed) this.#signaling.send(message);
      },
      isParticipant: (id) => this.#roster.participants.has(id),
      expectedVideos: () => this.#roster.sendingVideo,
    });
    this.#media.on('trackAdded', (remote) => this.emit('trackAdded', remote));
    this.#media.on('trackRemoved', (remote) => this.emit('trackRemoved', remote));
    this.#media.on('connectionState', (state) => this.emit('mediaConnectionState', state));
    signaling.on('message', (m) => this.#onMessage(m));
    signaling.on('closed', () => this.#end('disconnected'));
    for (const m of takeBacklog()) this.#onMessage(m);
    if (signaling.closed) this.#end('disconnected');
  }

  get self(): ParticipantInfo {
    return this.#roster.self;
  }

  /** The other participants. */
  get participants(): ReadonlyMap<string, ParticipantInfo> {
    return this.#roster.participants;
  }

  get mediaMode(): MediaMode {
    return this.#media.mode;
  }

  get remoteTracks(): RemoteTrack[] {
    return this.#media.remoteTracks;
  }

  get localTracks(): readonly MediaStreamTrack[] {
    return this.#localTracks;
  }

  get room(): RoomState {
    return this.#roster.room;
  }

  get isModerator(): boolean {
    return this.#roster.self.role === 'moderator';
  }

  /** Moderators: who is waiting in the lobby. */
  get knocking(): Knocker[] {
    return this.#roster.knocking;
  }

  /** The chat as this participant has seen it since joining (plus history, if the server shares it). */
  get chat(): readonly ChatEntry[] {
    return this.#chat.entries;
  }

  get dominantSpeaker(): string | null {
    return this.#roster.dominantSpeaker;
  }

  protected request(message: ClientMessage): void {
    this.#signaling.send(message);
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
    // `encrypting` changes as setPassphrase starts, before the key exists: a sender that would
    // bypass the transform (a screen's audio on the SFU) stops first; checked again once settled.
    const setting = this.#e2ee.setPassphrase(passphrase);
    await this.#media.encryptionChanged();
    await setting.finally(() => this.#media.encryptionChanged());
    this.#signaling.send({ type: 'setE2EE', enabled: passphrase !== null });
    this.emit('e2eeChanged', passphrase !== null);
  }

  /** Dominant-speaker time per participant, from the server's memory of this meeting. */
  async speakerStats(): Promise<SpeakerStat[]> {
    const reply = this.#signaling.waitFor('speakerStats', 'getSpeakerStats');
    this.#signaling.send({ type: 'getSpeakerStats' });
    return (await reply).stats;
  }

  protected get shownVideo(): MediaPaths {
    return this.#media;
  }

  /**
   * How well each remote participant's media arrives here (loss, round trip, frame rate, picture
   * size) since the previous call: call it periodically, e.g. every two seconds.
   */
  async connectionQuality(): Promise<Map<string, QualityReading>> {
    const report = await this.#media.getStats();
    if (!report) return new Map();
    const cameras = this.#media.remoteTracks.filter((t) => t.source === 'camera');
    return this.#quality.read(report, new Map(cameras.map((t) => [t.track.id, t.participantId])), Date.now());
  }

  /** Statistics of the current media path, or undefined when there is none. */
  async getStats(): Promise<RTCStatsReport | undefined> {
    return this.#media.getStats();
  }

  setAudioMuted(muted: boolean): void {
    this.#setEnabled('audio', !muted);
  }

  setVideoMuted(muted: boolean): void {
    this.#setEnabled('video', !muted);
  }

  get audioMuted(): boolean {
    return this.#roster.self.audioMuted;
  }

  get videoMuted(): boolean {
    return this.#roster.self.videoMuted;
  }

  /**
   * Sends `track` instead of the local track of its kind (another camera or microphone) on every
   * open path, without renegotiating: the call, its media mode and its E2EE transform stay as they
   * are, and a path opened later sends the new track. It inherits the old track's `enabled` (muted,
   * or held off until an invite's E2EE key applies); the old one stays with its owner, who stops it.
   */
  async replaceLocalTrack(track: MediaStreamTrack): Promise<void> {
    const kind = track.kind === 'audio' ? 'audio' : 'video';
    const index = this.#localTracks.findIndex((t) => t.kind === kind);
    // Adding a kind the call was set up without needs a new negotiation, which this is not.
    if (index < 0) throw new Error(`This meeting was joined without a local ${kind} track to replace.`);
    track.enabled = this.#localTracks[index]?.enabled ?? false;
    this.#localTracks[index] = track;
    await this.#media.replaceTrack(kind, track);
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
    const self = this.#roster.self;
    const audioMuted = kind === 'audio' ? !enabled : self.audioMuted;
    const videoMuted = kind === 'video' ? !enabled : self.videoMuted;
    this.#roster.setOwnMedia(audioMuted, videoMuted);
    if (!this.#signaling.closed) this.#signaling.send({ type: 'setMediaState', audioMuted, videoMuted });
    this.emit('selfUpdated', this.#roster.self);
  }

  #onMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'roomUpdated':
        this.#roster.setRoom(message.room);
        return this.emit('roomUpdated', message.room);
      case 'knock':
        this.#roster.knock(message.knocker);
        return this.emit('knock', message.knocker);
      case 'knockResolved':
        this.#roster.resolveKnock(message.id);
        return this.emit('knockResolved', { id: message.id, outcome: message.outcome });
      case 'chatMessage':
        return this.#chat.receive(message.message, true);
      case 'muteRequested':
        this.setAudioMuted(true);
        return this.emit('muteRequested', { by: message.by });
      case 'dominantSpeaker':
        this.#roster.setDominantSpeaker(message.id);
        return this.emit('dominantSpeaker', message.id);
      case 'removed':
        return this.#end('kicked');
      case 'meetingEnded':
        return this.#end('ended', message.by);
      case 'hands':
      case 'reaction':
        return this.receivePresence(message);
      case 'error':
        if (message.inReplyTo === 'setScreenShare') this.screen.refused(message.code, message.message);
        return this.emit('serverError', {
          code: message.code,
          message: message.message,
          ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
        });
      case 'participantJoined':
        this.#roster.add(message.participant);
        return this.emit('participantJoined', message.participant);
      case 'participantLeft': {
        const info = this.#roster.remove(message.id);
        this.#e2ee?.removeParticipant(message.id);
        this.#media.dropParticipant(message.id);
        if (info) this.emit('participantLeft', info, message.reason);
        return this.unpinLeaver(message.id);
      }
      case 'participantUpdated':
        if (this.#roster.update(message.participant) === 'self') {
          this.screen.selfUpdated(this.#roster.self);
          return this.emit('selfUpdated', this.#roster.self);
        }
        if (!message.participant.screenSharing) this.#media.dropScreen(message.participant.id);
        return this.emit('participantUpdated', message.participant);
      case 'mediaMode': {
        const changed = this.#media.follow(message);
        this.#speaking.set(message.mode === 'p2p');
        if (changed) this.emit('mediaModeChanged', message.mode);
        return;
      }
      case 'signal':
      case 'mediaSignal':
        return this.#media.handleSignal(message);
      case 'recording': {
        const { type: _, ...event } = message;
        this.#roster.setRecording(message.recording);
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
      case 'heartbeat': // watched by the SignalingClient
        return;
      default:
        return message satisfies never;
    }
  }

  #end(reason: LeaveReason, by?: string): void {
    if (this.#left) return;
    this.#left = true;
    this.#speaking.stop();
    this.screen.close();
    this.#e2ee?.close();
    this.#media.close();
    this.#roster.clear();
    this.forgetHands();
    this.#signaling.close();
    this.emit('left', { reason, ...(by ? { by } : {}) });
    this.removeAllListeners();
  }
}
