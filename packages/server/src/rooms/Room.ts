import { randomBytes } from 'node:crypto';
import type {
  ChatBody,
  IceCandidate,
  IceServer,
  MediaMode,
  RecordingDestination,
  RoomState,
  ServerMessage,
  SessionDescription,
} from '@conclave/protocol';
import { ConclaveError } from '../errors.js';
import { type Logger, literal } from '../log/logger.js';
import type { ActiveRecording, RecordingPort } from '../recording/RecordingPort.js';
import type { MediaEngine } from '../sfu/MediaEngine.js';
import { RoomMedia } from '../sfu/RoomMedia.js';
import { Chat, type ChatOptions } from './Chat.js';
import { type KnockEnd, Lobby } from './Lobby.js';
import { MeetingPassword } from './MeetingPassword.js';
import { decideMediaMode, type MediaPolicy, mediaCapacity } from './mediaMode.js';
import { Participant, type Profile } from './Participant.js';
import { SpeakerStats } from './SpeakerStats.js';

export interface RoomOptions {
  maxParticipants: number;
  policy: MediaPolicy;
  /** Bound to this room's redacted tag, never its name (PRIVACY P7). */
  log: Logger;
  onClosed: (room: Room) => void;
  /** Every new meeting starts with its lobby on (the first joiner is in). */
  lobbyByDefault: boolean;
  chat: ChatOptions;
  /** The SFU, seen only through its interface; absent when this server has none. */
  media?: MediaEngine | undefined;
  /** How long a meeting that shrank to two stays on the SFU before going back to P2P. */
  backToP2PDelayMs?: number | undefined;
  /** The recorder, seen only through its port; absent when this server does not record. */
  recording?: RecordingPort | undefined;
}

export type LeaveReason = 'left' | 'disconnected' | 'kicked';

/** Everything needed to let someone in, now or, from the lobby, later. */
export interface Admission {
  profile: Profile;
  sink: (message: ServerMessage) => void;
  /** Per participant, because TURN credentials are. */
  iceServers: IceServer[];
  password?: string | undefined;
  /** The client's `join.e2eeSupported`; absent (an older client) counts as supported. */
  e2eeSupported?: boolean | undefined;
  /** The client's `join.media`: false when its browser cannot connect audio and video at all. */
  media?: boolean | undefined;
  /** Called when a moderator removes the participant, after `removed` was sent. */
  onRemoved: () => void;
}

/** What happened to a join: in, or waiting in the lobby (then `admitted` or `refused` follows). */
export type Entry = { kind: 'joined'; participant: Participant } | { kind: 'waiting'; withdraw: () => void };

export interface LobbyCallbacks {
  admitted(participant: Participant): void;
  refused(reason: KnockEnd): void;
}

/**
 * One meeting, alive from its first join to its last leave (PRIVACY P1). It owns its participants
 * and everything they hold; `close()` drops all of it, so a later meeting under the same name
 * starts from nothing but the name.
 */
export class Room {
  /** Random per meeting, never derived from the name, so two meetings under one name share nothing. */
  readonly meetingId = randomBytes(16).toString('base64url');
  readonly #participants = new Map<string, Participant>();
  #arrivals = 0;
  #mode: MediaMode = 'none';
  #closed = false;
  readonly #password = new MeetingPassword();
  readonly #lobby: Lobby;
  readonly #chat: Chat;
  readonly #speakers = new SpeakerStats();
  readonly #onRemoved = new WeakMap<Participant, () => void>();
  readonly #media: RoomMedia;
  /** Pending return to P2P (see `backToP2PDelayMs`). */
  #p2pTimer: NodeJS.Timeout | undefined;
  #p2pDue = false;
  /** The two of a P2P call could not connect: the call moves to the SFU until the pair changes. */
  #p2pFailed = false;
  #recording: ActiveRecording | undefined;

  constructor(private readonly options: RoomOptions) {
    this.#lobby = new Lobby(options.lobbyByDefault);
    this.#chat = new Chat(options.chat);
    this.#media = new RoomMedia(options.media, (id) => this.setDominantSpeaker(id));
  }

  get state(): RoomState {
    return {
      locked: this.#password.locked,
      lobby: this.#lobby.enabled,
      recording: this.#recording !== undefined,
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  get mode(): MediaMode {
    return this.#mode;
  }

  get size(): number {
    return this.#participants.size;
  }

  participants(): IterableIterator<Participant> {
    return this.#participants.values();
  }

  /**
   * The door: the first joiner is always in (and moderator); a correct password lets its holder
   * skip the lobby; otherwise a lobby makes them wait, and a locked meeting asks for the password.
   */
  enter(admission: Admission, lobby: LobbyCallbacks): Entry {
    this.#checkCapacity();
    if (this.#participants.size === 0) return { kind: 'joined', participant: this.#admit(admission) };
    const { password } = admission;
    if (password !== undefined && this.#password.locked) {
      if (!this.#password.matches(password)) throw new ConclaveError('WRONG_PASSWORD');
      return { kind: 'joined', participant: this.#admit(admission) };
    }
    if (this.#lobby.enabled) {
      const knock = this.#lobby.add(admission.profile.displayName, {
        admit: () => {
          try {
            lobby.admitted(this.#admit(admission));
          } catch {
            lobby.refused('ended');
          }
        },
        refuse: (reason) => lobby.refused(reason),
      });
      this.#toModerators({ type: 'knock', knocker: knock.knocker });
      return {
        kind: 'waiting',
        withdraw: () => {
          if (this.#lobby.take(knock.knocker.id)) {
            this.#toModerators({ type: 'knockResolved', id: knock.knocker.id, outcome: 'withdrawn' });
          }
        },
      };
    }
    if (this.#password.locked) throw new ConclaveError('PASSWORD_REQUIRED');
    return { kind: 'joined', participant: this.#admit(admission) };
  }

  #checkCapacity(): void {
    if (this.#closed) throw new ConclaveError('MEETING_ENDED');
    const capacity = mediaCapacity(this.options.policy, this.options.maxParticipants);
    if (this.#participants.size >= capacity) {
      throw new ConclaveError('ROOM_FULL', `The meeting is full (${capacity} participants).`);
    }
  }

  #admit({ profile, sink, iceServers, onRemoved, e2eeSupported, media }: Admission): Participant {
    this.#checkCapacity();
    const participant = new Participant(
      randomBytes(9).toString('base64url'),
      this.#arrivals++,
      profile,
      sink,
      e2eeSupported ?? true,
    );
    // The first joiner is moderator; so is anyone joining a meeting that has none left.
    if (!this.#hasModerator()) participant.role = 'moderator';
    if (media === false) participant.media = 'unsupported';
    else this.#p2pFailed = false;
    const others = [...this.#participants.values()];
    this.#participants.set(participant.id, participant);
    this.#onRemoved.set(participant, onRemoved);
    participant.send({
      type: 'joined',
      meetingId: this.meetingId,
      self: participant.info(),
      participants: others.map((p) => p.info()),
      mode: participant.media === 'unsupported' ? 'none' : this.#mode,
      iceServers,
      room: this.state,
      chatHistory: this.#chat.history(),
      knocking: participant.role === 'moderator' ? this.#lobby.knockers() : [],
      ...(this.options.recording ? { recordingOptions: this.options.recording.options } : {}),
    });
    this.#broadcast({ type: 'participantJoined', participant: participant.info() }, participant);
    this.options.log.debug('participant.joined', { participants: this.#participants.size });
    this.#updateMode();
    return participant;
  }

  remove(participant: Participant, reason: LeaveReason): void {
    if (this.#participants.get(participant.id) !== participant) return;
    this.#participants.delete(participant.id);
    if (participant.media !== 'unsupported') this.#p2pFailed = false;
    this.#media.close(participant.id);
    this.#chat.forget(participant.id);
    const speakerChanged = this.#speakers.remove(participant.id);
    participant.close();
    this.options.log.debug('participant.left', {
      participants: this.#participants.size,
      disconnected: reason === 'disconnected',
    });
    if (this.#participants.size === 0) {
      this.close();
      return;
    }
    this.#broadcast({ type: 'participantLeft', id: participant.id, reason });
    if (participant.role === 'moderator' && !this.#hasModerator()) this.#promoteLongestPresent();
    if (speakerChanged) this.#broadcast({ type: 'dominantSpeaker', id: this.#speakers.dominant });
    this.#updateMode();
  }

  // ---- moderation: every action checks the role here, whatever the UI shows ----

  setPassword(by: Participant, password: string | null): void {
    this.#requireModerator(by);
    this.#password.set(password);
    this.options.log.info('room.lock', { locked: password !== null });
    this.#broadcast({ type: 'roomUpdated', room: this.state });
  }

  setLobby(by: Participant, enabled: boolean): void {
    this.#requireModerator(by);
    this.#lobby.enabled = enabled;
    this.#broadcast({ type: 'roomUpdated', room: this.state });
    // Turning the lobby off opens the door to those already waiting.
    if (!enabled) for (const knock of this.#lobby.drain()) this.#resolveKnock(knock.knocker.id, knock, true);
  }

  decideKnock(by: Participant, id: string, admit: boolean): void {
    this.#requireModerator(by);
    const knock = this.#lobby.take(id);
    if (!knock)
      throw new ConclaveError('UNKNOWN_PARTICIPANT', 'Nobody with this id is waiting in the lobby.');
    this.#resolveKnock(id, knock, admit);
  }

  kick(by: Participant, id: string): void {
    this.#requireModerator(by);
    const target = this.#other(by, id);
    const onRemoved = this.#onRemoved.get(target);
    target.send({ type: 'removed', reason: 'kicked', by: by.id });
    this.remove(target, 'kicked');
    onRemoved?.();
  }

  requestMute(by: Participant, id: string): void {
    this.#requireModerator(by);
    this.#other(by, id).send({ type: 'muteRequested', by: by.id });
  }

  muteAll(by: Participant): void {
    this.#requireModerator(by);
    this.#broadcast({ type: 'muteRequested', by: by.id }, by);
  }

  grantModerator(by: Participant, id: string): void {
    this.#requireModerator(by);
    const target = this.#other(by, id);
    if (target.role === 'moderator') return;
    this.#makeModerator(target);
  }

  /** A new moderator also gets the knocks already waiting, or nobody could ever decide them. */
  #makeModerator(target: Participant): void {
    target.role = 'moderator';
    this.#broadcast({ type: 'participantUpdated', participant: target.info() });
    target.send({ type: 'roomUpdated', room: this.state });
    for (const knocker of this.#lobby.knockers()) target.send({ type: 'knock', knocker });
  }

  // ---- recording: moderators only, never under E2EE (P12), announced to everyone (P13) ----

  startRecording(by: Participant, destination: RecordingDestination): void {
    this.#requireModerator(by);
    const recorder = this.options.recording;
    if (!recorder) throw new ConclaveError('RECORDING_UNAVAILABLE');
    if (this.#recording) throw new ConclaveError('ALREADY_RECORDING');
    if (this.e2eeActive) throw new ConclaveError('E2EE_ACTIVE');
    const recording = recorder.start({
      meetingId: this.meetingId,
      destination,
      tap: (tap) => this.#media.tap(tap),
      notify: (message) => {
        if (!this.#closed) this.#broadcast(message);
      },
      stopped: (reason) => {
        if (this.#recording === recording) this.#stopRecording(null, reason);
      },
    });
    this.#recording = recording;
    this.options.log.info('recording.started');
    this.#broadcast({ type: 'recording', recording: true, by: by.id });
    this.#broadcast({ type: 'roomUpdated', room: this.state });
    // A two-person meeting moves to the SFU, where the recorder taps the media.
    this.#updateMode();
  }

  stopRecording(by: Participant): void {
    this.#requireModerator(by);
    if (!this.#recording) throw new ConclaveError('NOT_RECORDING');
    this.#stopRecording(by.id, 'requested');
  }

  #stopRecording(by: string | null, reason: 'requested' | 'e2ee' | 'limit' | 'error'): void {
    const recording = this.#recording;
    if (!recording) return;
    this.#recording = undefined;
    recording.stop();
    this.options.log.info('recording.stopped', { reason: literal(reason) });
    if (this.#closed) return;
    this.#broadcast({ type: 'recording', recording: false, by, reason });
    this.#broadcast({ type: 'roomUpdated', room: this.state });
    this.#updateMode();
  }

  // ---- chat and speaker stats (memory only, PRIVACY P6) ----

  chat(from: Participant, to: string | undefined, body: ChatBody): void {
    const recipient = to === undefined ? undefined : this.#other(from, to);
    const message = this.#chat.compose(from.id, to, body);
    if (recipient) {
      // A private message reaches its addressee and, as confirmation, its sender; nobody else.
      recipient.send({ type: 'chatMessage', message });
      from.send({ type: 'chatMessage', message });
    } else {
      this.#broadcast({ type: 'chatMessage', message });
    }
  }

  speaking(participant: Participant, speaking: boolean): void {
    if (this.#speakers.speaking(participant.id, speaking)) {
      this.#broadcast({ type: 'dominantSpeaker', id: this.#speakers.dominant });
    }
  }

  /** From the media engine's audio-level detection (SFU mode). */
  setDominantSpeaker(id: string | null): void {
    if (id !== null && !this.#participants.has(id)) return;
    if (this.#speakers.setDominant(id)) this.#broadcast({ type: 'dominantSpeaker', id });
  }

  sendSpeakerStats(to: Participant): void {
    to.send({
      type: 'speakerStats',
      stats: this.#speakers.snapshot(this.#participants.keys()),
      dominant: this.#speakers.dominant,
    });
  }

  /** Relays WebRTC negotiation between the two peers of a P2P call; the payload is never read. */
  relaySignal(
    from: Participant,
    to: string,
    payload: { description?: SessionDescription | undefined; candidate?: IceCandidate | undefined },
  ): void {
    const target = this.#participants.get(to);
    if (!target || target === from) throw new ConclaveError('UNKNOWN_PARTICIPANT');
    if (this.#mode !== 'p2p') throw new ConclaveError('WRONG_MEDIA_MODE');
    target.send({
      type: 'signal',
      from: from.id,
      ...(payload.description ? { description: payload.description } : {}),
      ...(payload.candidate ? { candidate: payload.candidate } : {}),
    });
  }

  /**
   * Negotiation between a participant and its SFU session: in SFU mode, and while a session drains
   * after a switch back to P2P (it may still renegotiate). The payload is never read here or logged.
   */
  mediaSignal(
    participant: Participant,
    payload: {
      description?: SessionDescription | undefined;
      candidate?: IceCandidate | undefined;
      restart?: true | undefined;
    },
  ): void {
    const accepted = payload.restart
      ? this.#media.restart(participant.id)
      : this.#media.signal(participant.id, payload);
    if (!accepted) throw new ConclaveError('WRONG_MEDIA_MODE');
  }

  /**
   * The client says whether its media path came up. The others are told either way; a P2P call
   * that could not connect moves to the SFU (where there is one), which often can.
   */
  mediaStatus(participant: Participant, connected: boolean): void {
    if (participant.media === 'unsupported') return;
    const media = connected ? 'available' : 'failed';
    if (participant.media === media) return;
    participant.media = media;
    this.options.log.info('participant.media', { connected });
    this.#broadcast({ type: 'participantUpdated', participant: participant.info() });
    if (!connected && this.#mode === 'p2p' && this.options.policy.sfuAvailable) {
      this.#p2pFailed = true;
      this.#updateMode();
    }
  }

  setMediaState(participant: Participant, audioMuted: boolean, videoMuted: boolean): void {
    participant.audioMuted = audioMuted;
    participant.videoMuted = videoMuted;
    this.#broadcast({ type: 'participantUpdated', participant: participant.info() });
  }

  /** True while anyone encrypts end to end; recording must then be impossible (PRIVACY P12). */
  get e2eeActive(): boolean {
    for (const p of this.#participants.values()) if (p.e2ee) return true;
    return false;
  }

  setE2EE(participant: Participant, enabled: boolean): void {
    // Others keep trusting the "cannot encrypt" mark they show for this participant, so a client
    // that declared no support may not contradict it; others turning E2EE on stays allowed.
    if (enabled && !participant.e2eeSupported) throw new ConclaveError('E2EE_UNSUPPORTED');
    if (participant.e2ee === enabled) return;
    participant.e2ee = enabled;
    this.options.log.info('participant.e2ee', { enabled });
    this.#broadcast({ type: 'participantUpdated', participant: participant.info() });
    // PRIVACY P12: turning E2EE on stops a running recording.
    if (enabled) this.#stopRecording(null, 'e2ee');
  }

  setProfile(participant: Participant, profile: Profile): void {
    participant.setProfile(profile);
    this.#broadcast({ type: 'participantUpdated', participant: participant.info() });
  }

  /** Idempotent; closes every participant and tells the registry to forget this room. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#p2pTimer);
    this.#stopRecording(null, 'requested');
    this.#media.closeAll();
    for (const p of this.#participants.values()) p.close();
    this.#participants.clear();
    // Everything the meeting held goes with it (PRIVACY P1, P4, P6).
    for (const knock of this.#lobby.drain()) knock.refuse('ended');
    this.#password.clear();
    this.#chat.clear();
    this.#speakers.clear();
    this.options.log.info('room.closed');
    this.options.onClosed(this);
  }

  #resolveKnock(id: string, knock: { admit(): void; refuse(reason: KnockEnd): void }, admit: boolean): void {
    this.#toModerators({ type: 'knockResolved', id, outcome: admit ? 'admitted' : 'denied' });
    if (admit) knock.admit();
    else knock.refuse('denied');
  }

  #requireModerator(participant: Participant): void {
    if (participant.role !== 'moderator') throw new ConclaveError('NOT_MODERATOR');
  }

  /** Another participant of this meeting, by id. */
  #other(self: Participant, id: string): Participant {
    const other = this.#participants.get(id);
    if (!other || other === self) throw new ConclaveError('UNKNOWN_PARTICIPANT');
    return other;
  }

  #toModerators(message: ServerMessage): void {
    for (const p of this.#participants.values()) if (p.role === 'moderator') p.send(message);
  }

  #hasModerator(): boolean {
    for (const p of this.#participants.values()) if (p.role === 'moderator') return true;
    return false;
  }

  #promoteLongestPresent(): void {
    let oldest: Participant | undefined;
    for (const p of this.#participants.values()) if (!oldest || p.arrival < oldest.arrival) oldest = p;
    if (oldest) this.#makeModerator(oldest);
  }

  #updateMode(): void {
    // Only those who can connect media have a path; the others stay in `none` throughout.
    const connecting = [...this.#participants.values()].filter((p) => p.media !== 'unsupported');
    let mode = decideMediaMode(
      connecting.length,
      this.options.policy,
      this.#recording !== undefined || this.#p2pFailed,
    );
    const delay = this.options.backToP2PDelayMs ?? 0;
    if (mode === 'p2p' && this.#mode === 'sfu' && delay > 0 && !this.#p2pDue) {
      // Stay on the SFU for a while: someone leaving and rejoining must not make everyone switch twice.
      mode = 'sfu';
      this.#p2pTimer ??= setTimeout(() => {
        this.#p2pTimer = undefined;
        this.#p2pDue = true;
        this.#updateMode();
        this.#p2pDue = false;
      }, delay);
      this.#p2pTimer.unref();
    } else if (mode !== 'sfu' || connecting.length > 2) {
      clearTimeout(this.#p2pTimer);
      this.#p2pTimer = undefined;
    }
    const changed = mode !== this.#mode;
    const wasSfu = this.#mode === 'sfu';
    this.#mode = mode;
    if (mode === 'sfu') {
      if (changed) for (const p of connecting) p.send({ type: 'mediaMode', mode });
      // Every participant without a live session gets one (all of them on a switch, else the newcomer).
      for (const p of connecting) {
        if (!this.#media.isOpen(p.id))
          this.#media.open(p.id, {
            signal: (signal) => p.send({ type: 'mediaSignal', ...signal }),
            reopened: () => {
              this.options.log.info('room.media_reopened');
              // The client opens a new SFU PeerConnection on `mediaMode: sfu`, even when in SFU mode.
              p.send({ type: 'mediaMode', mode: 'sfu' });
            },
          });
      }
      if (changed) this.options.log.info('room.mode', { p2p: false, sfu: true });
      return;
    }
    if (wasSfu && changed) this.#media.drain();
    if (mode === 'p2p') {
      // Recomputed on every change: the pair may differ even when the mode does not.
      const [a, b] = connecting.sort((x, y) => x.arrival - y.arrival);
      if (!a || !b) return;
      // The newcomer offers: it is the one whose media the other side does not have yet.
      a.send({ type: 'mediaMode', mode, peer: { id: b.id, offerer: false } });
      b.send({ type: 'mediaMode', mode, peer: { id: a.id, offerer: true } });
    } else if (changed) {
      for (const p of connecting) p.send({ type: 'mediaMode', mode });
    }
    if (changed) this.options.log.info('room.mode', { p2p: mode === 'p2p', sfu: false });
  }

  #broadcast(message: ServerMessage, except?: Participant): void {
    for (const p of this.#participants.values()) if (p !== except) p.send(message);
  }
}
