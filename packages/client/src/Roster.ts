import type { Knocker, ParticipantInfo, RoomState, ServerMessageOf } from '@conclave/protocol';

/**
 * The meeting as this participant knows it: itself, the others, who waits in the lobby (shown to
 * moderators), the room's settings and the dominant speaker. Starts from the `joined` answer and
 * follows the server's messages; it holds state only, the Conference tells its listeners.
 */
export class Roster {
  #self: ParticipantInfo;
  readonly #others = new Map<string, ParticipantInfo>();
  readonly #knocking = new Map<string, Knocker>();
  #room: RoomState;
  #dominantSpeaker: string | null = null;

  constructor(joined: ServerMessageOf<'joined'>) {
    this.#self = joined.self;
    for (const p of joined.participants) this.#others.set(p.id, p);
    for (const k of joined.knocking) this.#knocking.set(k.id, k);
    this.#room = joined.room;
  }

  get self(): ParticipantInfo {
    return this.#self;
  }

  /** The other participants. */
  get participants(): ReadonlyMap<string, ParticipantInfo> {
    return this.#others;
  }

  get knocking(): Knocker[] {
    return [...this.#knocking.values()];
  }

  get room(): RoomState {
    return this.#room;
  }

  get dominantSpeaker(): string | null {
    return this.#dominantSpeaker;
  }

  /** Someone else presents while only one may: the server would refuse another share. */
  get screenBusy(): boolean {
    return !this.#room.multipleScreenShares && [...this.#others.values()].some((p) => p.screenSharing);
  }

  /** How many of the others send video: what a new media path should decode before the old one goes. */
  get sendingVideo(): number {
    return [...this.#others.values()].filter((p) => !p.videoMuted).length;
  }

  /** This participant muted or unmuted locally; the server is told separately. */
  setOwnMedia(audioMuted: boolean, videoMuted: boolean): ParticipantInfo {
    this.#self = { ...this.#self, audioMuted, videoMuted };
    return this.#self;
  }

  add(participant: ParticipantInfo): void {
    this.#others.set(participant.id, participant);
  }

  /** Returns who left, if this participant knew them. */
  remove(id: string): ParticipantInfo | undefined {
    const info = this.#others.get(id);
    this.#others.delete(id);
    return info;
  }

  /**
   * Returns `self` when the update is about this participant. Its own muted flags stay as set
   * here: the server only ever echoes what this client sent (a moderator can ask, not mute), and
   * the echo of an earlier toggle, arriving after a later one, would undo the later one.
   */
  update(participant: ParticipantInfo): 'self' | 'other' {
    if (participant.id === this.#self.id) {
      const { audioMuted, videoMuted } = this.#self;
      this.#self = { ...participant, audioMuted, videoMuted };
      return 'self';
    }
    this.#others.set(participant.id, participant);
    return 'other';
  }

  knock(knocker: Knocker): void {
    this.#knocking.set(knocker.id, knocker);
  }

  resolveKnock(id: string): void {
    this.#knocking.delete(id);
  }

  setRoom(room: RoomState): void {
    this.#room = room;
  }

  /** The `recording` message changes the room's flag without a `roomUpdated`. */
  setRecording(recording: boolean): void {
    this.#room = { ...this.#room, recording };
  }

  setDominantSpeaker(id: string | null): void {
    this.#dominantSpeaker = id;
  }

  /** Left the meeting: nobody is left to know about. */
  clear(): void {
    this.#others.clear();
  }
}
