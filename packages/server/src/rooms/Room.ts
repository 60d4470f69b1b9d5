import { randomBytes } from 'node:crypto';
import type { ChatBody, MediaMode, RecordingDestination, RoomState } from '@conclave/protocol';
import { ConclaveError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { RecordingPort } from '../recording/RecordingPort.js';
import type { MediaEngine } from '../sfu/MediaEngine.js';
import type { Admission, Entry, LeaveReason, LobbyCallbacks } from './Admission.js';
import { Chat, type ChatOptions } from './Chat.js';
import { type KnockEnd, Lobby } from './Lobby.js';
import { MediaSwitch, type PeerSignal } from './MediaSwitch.js';
import { MeetingPassword } from './MeetingPassword.js';
import { type MediaPolicy, mediaCapacity } from './mediaMode.js';
import { requireModerator } from './moderation.js';
import { Participant, type Profile } from './Participant.js';
import { Presence } from './Presence.js';
import { RecordingControl } from './RecordingControl.js';
import { Roster } from './Roster.js';
import { ScreenShares } from './ScreenShares.js';
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

/**
 * One meeting, alive from its first join to its last leave (PRIVACY P1). It owns its participants
 * and everything they hold; `close()` drops all of it, so a later meeting under the same name
 * starts from nothing but the name.
 */
export class Room {
  /** Random per meeting, never derived from the name, so two meetings under one name share nothing. */
  readonly meetingId = randomBytes(16).toString('base64url');
  readonly #roster = new Roster();
  #closed = false;
  readonly #password = new MeetingPassword();
  readonly #lobby: Lobby;
  readonly #chat: Chat;
  readonly #speakers = new SpeakerStats();
  readonly #onRemoved = new WeakMap<Participant, () => void>();
  readonly #media: MediaSwitch;
  readonly #recording: RecordingControl;
  readonly screens = new ScreenShares(this.#roster, () => this.options.log, {
    changed: (p) => this.#media.screenShareChanged(p),
    roomChanged: () => this.#roster.broadcast({ type: 'roomUpdated', room: this.state }),
  });
  readonly presence = new Presence(this.#roster);

  constructor(private readonly options: RoomOptions) {
    this.#lobby = new Lobby(options.lobbyByDefault);
    this.#chat = new Chat(options.chat);
    this.#media = new MediaSwitch(this.#roster, {
      policy: options.policy,
      engine: options.media,
      backToP2PDelayMs: options.backToP2PDelayMs ?? 0,
      log: options.log,
      recording: () => this.#recording.active,
      onDominantSpeaker: (id) => this.setDominantSpeaker(id),
    });
    this.#recording = new RecordingControl(options.recording, {
      meetingId: this.meetingId,
      roster: this.#roster,
      media: this.#media,
      log: options.log,
      closed: () => this.#closed,
      announceState: () => this.#roster.broadcast({ type: 'roomUpdated', room: this.state }),
    });
  }

  get state(): RoomState {
    return {
      locked: this.#password.locked,
      lobby: this.#lobby.enabled,
      recording: this.#recording.active,
      multipleScreenShares: this.screens.multiple,
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  get mode(): MediaMode {
    return this.#media.mode;
  }

  get size(): number {
    return this.#roster.size;
  }

  participants(): IterableIterator<Participant> {
    return this.#roster.values();
  }

  /**
   * The door: the first joiner is always in (and moderator); a correct password lets its holder
   * skip the lobby; otherwise a lobby makes them wait, and a locked meeting asks for the password.
   */
  enter(admission: Admission, lobby: LobbyCallbacks): Entry {
    this.#checkCapacity();
    if (this.#roster.size === 0) return { kind: 'joined', participant: this.#admit(admission) };
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
      this.#roster.toModerators({ type: 'knock', knocker: knock.knocker });
      return {
        kind: 'waiting',
        withdraw: () => {
          if (this.#lobby.take(knock.knocker.id)) {
            this.#roster.toModerators({ type: 'knockResolved', id: knock.knocker.id, outcome: 'withdrawn' });
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
    if (this.#roster.size >= capacity) {
      throw new ConclaveError('ROOM_FULL', `The meeting is full (${capacity} participants).`);
    }
  }

  #admit({ profile, sink, iceServers, onRemoved, e2eeSupported, media }: Admission): Participant {
    this.#checkCapacity();
    const participant = new Participant(
      randomBytes(9).toString('base64url'),
      this.#roster.nextArrival(),
      profile,
      sink,
      e2eeSupported ?? true,
    );
    // The first joiner is moderator; so is anyone joining a meeting that has none left.
    if (!this.#roster.hasModerator()) participant.role = 'moderator';
    if (media === false) participant.media = 'unsupported';
    const others = [...this.#roster.values()];
    this.#roster.add(participant);
    this.#media.join(participant);
    this.#onRemoved.set(participant, onRemoved);
    participant.send({
      type: 'joined',
      meetingId: this.meetingId,
      self: participant.info(),
      participants: others.map((p) => p.info()),
      mode: participant.media === 'unsupported' ? 'none' : this.#media.mode,
      iceServers,
      room: this.state,
      chatHistory: this.#chat.history(),
      knocking: participant.role === 'moderator' ? this.#lobby.knockers() : [],
      ...(this.options.recording ? { recordingOptions: this.options.recording.options } : {}),
    });
    this.presence.welcome(participant);
    this.#roster.broadcast({ type: 'participantJoined', participant: participant.info() }, participant);
    this.options.log.debug('participant.joined', { participants: this.#roster.size });
    this.#media.update();
    return participant;
  }

  remove(participant: Participant, reason: LeaveReason): void {
    if (!this.#roster.remove(participant)) return;
    this.#media.leave(participant);
    this.#chat.forget(participant.id);
    const speakerChanged = this.#speakers.remove(participant.id);
    participant.close();
    this.options.log.debug('participant.left', {
      participants: this.#roster.size,
      disconnected: reason === 'disconnected',
    });
    if (this.#roster.size === 0) {
      this.close();
      return;
    }
    this.#roster.broadcast({ type: 'participantLeft', id: participant.id, reason });
    this.presence.leave(participant);
    if (participant.role === 'moderator' && !this.#roster.hasModerator()) this.#promoteLongestPresent();
    if (speakerChanged) this.#roster.broadcast({ type: 'dominantSpeaker', id: this.#speakers.dominant });
    this.#media.update();
  }

  // ---- moderation: every action checks the role here, whatever the UI shows ----

  setPassword(by: Participant, password: string | null): void {
    requireModerator(by);
    this.#password.set(password);
    this.options.log.info('room.lock', { locked: password !== null });
    this.#roster.broadcast({ type: 'roomUpdated', room: this.state });
  }

  setLobby(by: Participant, enabled: boolean): void {
    requireModerator(by);
    this.#lobby.enabled = enabled;
    this.#roster.broadcast({ type: 'roomUpdated', room: this.state });
    // Turning the lobby off opens the door to those already waiting.
    if (!enabled) for (const knock of this.#lobby.drain()) this.#resolveKnock(knock.knocker.id, knock, true);
  }

  decideKnock(by: Participant, id: string, admit: boolean): void {
    requireModerator(by);
    const knock = this.#lobby.take(id);
    if (!knock)
      throw new ConclaveError('UNKNOWN_PARTICIPANT', 'Nobody with this id is waiting in the lobby.');
    this.#resolveKnock(id, knock, admit);
  }

  kick(by: Participant, id: string): void {
    requireModerator(by);
    const target = this.#roster.other(by, id);
    const onRemoved = this.#onRemoved.get(target);
    target.send({ type: 'removed', reason: 'kicked', by: by.id });
    this.remove(target, 'kicked');
    onRemoved?.();
  }

  requestMute(by: Participant, id: string): void {
    requireModerator(by);
    this.#roster.other(by, id).send({ type: 'muteRequested', by: by.id });
  }

  muteAll(by: Participant): void {
    requireModerator(by);
    this.#roster.broadcast({ type: 'muteRequested', by: by.id }, by);
  }

  grantModerator(by: Participant, id: string): void {
    requireModerator(by);
    const target = this.#roster.other(by, id);
    if (target.role === 'moderator') return;
    this.#makeModerator(target);
  }

  /** A new moderator also gets the knocks already waiting, or nobody could ever decide them. */
  #makeModerator(target: Participant): void {
    target.role = 'moderator';
    this.#roster.broadcast({ type: 'participantUpdated', participant: target.info() });
    target.send({ type: 'roomUpdated', room: this.state });
    for (const knocker of this.#lobby.knockers()) target.send({ type: 'knock', knocker });
  }

  /** Moderators: the meeting ends for everyone at once, and the room drops all it held (P1). */
  end(by: Participant): void {
    requireModerator(by);
    this.options.log.info('room.ended_for_all');
    this.#roster.broadcast({ type: 'meetingEnded', by: by.id });
    for (const p of [...this.#roster.values()]) this.#onRemoved.get(p)?.();
    this.close();
  }

  // ---- recording: moderators only, never under E2EE (P12), announced to everyone (P13) ----

  startRecording(by: Participant, destination: RecordingDestination): void {
    requireModerator(by);
    this.#recording.start(by.id, destination);
  }

  stopRecording(by: Participant): void {
    requireModerator(by);
    if (!this.#recording.active) throw new ConclaveError('NOT_RECORDING');
    this.#recording.stop(by.id, 'requested');
  }

  // ---- chat and speaker stats (memory only, PRIVACY P6) ----

  chat(from: Participant, to: string | undefined, body: ChatBody): void {
    const recipient = to === undefined ? undefined : this.#roster.other(from, to);
    const message = this.#chat.compose(from.id, to, body);
    if (recipient) {
      // A private message reaches its addressee and, as confirmation, its sender; nobody else.
      recipient.send({ type: 'chatMessage', message });
      from.send({ type: 'chatMessage', message });
    } else {
      this.#roster.broadcast({ type: 'chatMessage', message });
    }
  }

  speaking(participant: Participant, speaking: boolean): void {
    if (this.#speakers.speaking(participant.id, speaking)) {
      this.#roster.broadcast({ type: 'dominantSpeaker', id: this.#speakers.dominant });
    }
  }

  /** From the media engine's audio-level detection (SFU mode). */
  setDominantSpeaker(id: string | null): void {
    if (id !== null && !this.#roster.has(id)) return;
    if (this.#speakers.setDominant(id)) this.#roster.broadcast({ type: 'dominantSpeaker', id });
  }

  sendSpeakerStats(to: Participant): void {
    to.send({
      type: 'speakerStats',
      stats: this.#speakers.snapshot(this.#roster.ids()),
      dominant: this.#speakers.dominant,
    });
  }

  /** Relays WebRTC negotiation between the two peers of a P2P call; the payload is never read. */
  relaySignal(from: Participant, to: string, payload: PeerSignal): void {
    this.#media.relay(from, to, payload);
  }

  /** Negotiation with its SFU session (also while it drains after a switch); never read or logged. */
  mediaSignal(participant: Participant, payload: PeerSignal & { restart?: true | undefined }): void {
    this.#media.signal(participant, payload);
  }

  /** Whether its media path came up, told to everyone; a failed P2P call moves to the SFU. */
  mediaStatus(participant: Participant, connected: boolean): void {
    if (participant.media === 'unsupported') return;
    const media = connected ? 'available' : 'failed';
    if (participant.media === media) return;
    participant.media = media;
    this.options.log.info('participant.media', { connected });
    this.#roster.broadcast({ type: 'participantUpdated', participant: participant.info() });
    if (!connected) this.#media.p2pFailed();
  }

  setMediaState(participant: Participant, audioMuted: boolean, videoMuted: boolean): void {
    participant.audioMuted = audioMuted;
    participant.videoMuted = videoMuted;
    this.#roster.broadcast({ type: 'participantUpdated', participant: participant.info() });
  }

  /** True while anyone encrypts end to end; recording must then be impossible (PRIVACY P12). */
  get e2eeActive(): boolean {
    return this.#roster.e2eeActive;
  }

  setE2EE(participant: Participant, enabled: boolean): void {
    // Others keep trusting the "cannot encrypt" mark they show for this participant, so a client
    // that declared no support may not contradict it; others turning E2EE on stays allowed.
    if (enabled && !participant.e2eeSupported) throw new ConclaveError('E2EE_UNSUPPORTED');
    if (participant.e2ee === enabled) return;
    participant.e2ee = enabled;
    this.options.log.info('participant.e2ee', { enabled });
    this.#roster.broadcast({ type: 'participantUpdated', participant: participant.info() });
    // PRIVACY P12: turning E2EE on stops a running recording.
    if (enabled) this.#recording.stop(null, 'e2ee');
  }

  setProfile(participant: Participant, profile: Profile): void {
    participant.setProfile(profile);
    this.#roster.broadcast({ type: 'participantUpdated', participant: participant.info() });
  }

  /** Idempotent; closes every participant and tells the registry to forget this room. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#recording.stop(null, 'requested');
    this.#media.close();
    this.#roster.closeAll();
    // Everything the meeting held goes with it (PRIVACY P1, P4, P6).
    for (const knock of this.#lobby.drain()) knock.refuse('ended');
    this.#password.clear();
    this.#chat.clear();
    this.#speakers.clear();
    this.presence.clear();
    this.options.log.info('room.closed');
    this.options.onClosed(this);
  }

  #resolveKnock(id: string, knock: { admit(): void; refuse(reason: KnockEnd): void }, admit: boolean): void {
    this.#roster.toModerators({ type: 'knockResolved', id, outcome: admit ? 'admitted' : 'denied' });
    if (admit) knock.admit();
    else knock.refuse('denied');
  }

  #promoteLongestPresent(): void {
    const oldest = this.#roster.byArrival()[0];
    if (oldest) this.#makeModerator(oldest);
  }
}
