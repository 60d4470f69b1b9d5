import { randomBytes } from 'node:crypto';
import type {
  IceCandidate,
  IceServer,
  MediaMode,
  ServerMessage,
  SessionDescription,
} from '@conclave/protocol';
import { ConclaveError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { decideMediaMode, type MediaPolicy, mediaCapacity } from './mediaMode.js';
import { Participant, type Profile } from './Participant.js';

export interface RoomOptions {
  maxParticipants: number;
  policy: MediaPolicy;
  /** Bound to this room's redacted tag, never its name (PRIVACY P7). */
  log: Logger;
  onClosed: (room: Room) => void;
}

export type LeaveReason = 'left' | 'disconnected';

export interface Admission {
  profile: Profile;
  sink: (message: ServerMessage) => void;
  /** Per participant, because TURN credentials are. */
  iceServers: IceServer[];
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

  constructor(private readonly options: RoomOptions) {}

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

  admit({ profile, sink, iceServers }: Admission): Participant {
    if (this.#closed) throw new ConclaveError('INTERNAL');
    const capacity = mediaCapacity(this.options.policy, this.options.maxParticipants);
    if (this.#participants.size >= capacity) {
      throw new ConclaveError('ROOM_FULL', `The meeting is full (${capacity} participants).`);
    }
    const participant = new Participant(
      randomBytes(9).toString('base64url'),
      this.#arrivals++,
      profile,
      sink,
    );
    // The first joiner is moderator; so is anyone joining a meeting that has none left.
    if (!this.#hasModerator()) participant.role = 'moderator';
    const others = [...this.#participants.values()];
    this.#participants.set(participant.id, participant);
    participant.send({
      type: 'joined',
      meetingId: this.meetingId,
      self: participant.info(),
      participants: others.map((p) => p.info()),
      mode: this.#mode,
      iceServers,
    });
    this.#broadcast({ type: 'participantJoined', participant: participant.info() }, participant);
    this.options.log.debug('participant.joined', { participants: this.#participants.size });
    this.#updateMode();
    return participant;
  }

  remove(participant: Participant, reason: LeaveReason): void {
    if (this.#participants.get(participant.id) !== participant) return;
    this.#participants.delete(participant.id);
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
    this.#updateMode();
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

  /** Negotiation between a participant and the media engine; only meaningful in SFU mode. */
  mediaSignal(
    _participant: Participant,
    _payload: { description?: SessionDescription | undefined; candidate?: IceCandidate | undefined },
  ): void {
    if (this.#mode !== 'sfu') throw new ConclaveError('WRONG_MEDIA_MODE');
  }

  setMediaState(participant: Participant, audioMuted: boolean, videoMuted: boolean): void {
    participant.audioMuted = audioMuted;
    participant.videoMuted = videoMuted;
    this.#broadcast({ type: 'participantUpdated', participant: participant.info() });
  }

  setProfile(participant: Participant, profile: Profile): void {
    participant.setProfile(profile);
    this.#broadcast({ type: 'participantUpdated', participant: participant.info() });
  }

  /** Idempotent; closes every participant and tells the registry to forget this room. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of this.#participants.values()) p.close();
    this.#participants.clear();
    this.options.log.info('room.closed');
    this.options.onClosed(this);
  }

  #hasModerator(): boolean {
    for (const p of this.#participants.values()) if (p.role === 'moderator') return true;
    return false;
  }

  #promoteLongestPresent(): void {
    let oldest: Participant | undefined;
    for (const p of this.#participants.values()) if (!oldest || p.arrival < oldest.arrival) oldest = p;
    if (!oldest) return;
    oldest.role = 'moderator';
    this.#broadcast({ type: 'participantUpdated', participant: oldest.info() });
  }

  #updateMode(): void {
    const mode = decideMediaMode(this.#participants.size, this.options.policy);
    const changed = mode !== this.#mode;
    this.#mode = mode;
    if (mode === 'p2p') {
      // Recomputed on every change: the pair may differ even when the mode does not.
      const [a, b] = [...this.#participants.values()].sort((x, y) => x.arrival - y.arrival);
      if (!a || !b) return;
      // The newcomer offers: it is the one whose media the other side does not have yet.
      a.send({ type: 'mediaMode', mode, peer: { id: b.id, offerer: false } });
      b.send({ type: 'mediaMode', mode, peer: { id: a.id, offerer: true } });
    } else if (changed) {
      this.#broadcast({ type: 'mediaMode', mode });
    }
    if (changed) this.options.log.info('room.mode', { p2p: mode === 'p2p', sfu: mode === 'sfu' });
  }

  #broadcast(message: ServerMessage, except?: Participant): void {
    for (const p of this.#participants.values()) if (p !== except) p.send(message);
  }
}
