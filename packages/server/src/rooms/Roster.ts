import type { ServerMessage } from '@conclave/protocol';
import { ConclaveError } from '../errors.js';
import type { Participant } from './Participant.js';

/**
 * Who is in one meeting: its participants by id, in order of arrival, and the ways of sending to
 * them (everyone, the moderators). Owned by the Room, which decides who comes and goes.
 */
export class Roster {
  readonly #participants = new Map<string, Participant>();
  #arrivals = 0;

  get size(): number {
    return this.#participants.size;
  }

  values(): IterableIterator<Participant> {
    return this.#participants.values();
  }

  ids(): IterableIterator<string> {
    return this.#participants.keys();
  }

  get(id: string): Participant | undefined {
    return this.#participants.get(id);
  }

  has(id: string): boolean {
    return this.#participants.has(id);
  }

  /** The arrival number of the next participant (never reused within the meeting). */
  nextArrival(): number {
    return this.#arrivals++;
  }

  add(participant: Participant): void {
    this.#participants.set(participant.id, participant);
  }

  /** False when `participant` is not (or no longer) the one in the meeting under its id. */
  remove(participant: Participant): boolean {
    if (this.#participants.get(participant.id) !== participant) return false;
    this.#participants.delete(participant.id);
    return true;
  }

  /** Another participant of this meeting, by id. */
  other(self: Participant, id: string): Participant {
    const other = this.#participants.get(id);
    if (!other || other === self) throw new ConclaveError('UNKNOWN_PARTICIPANT');
    return other;
  }

  /** Oldest first. */
  byArrival(): Participant[] {
    return [...this.#participants.values()].sort((x, y) => x.arrival - y.arrival);
  }

  broadcast(message: ServerMessage, except?: Participant): void {
    for (const p of this.#participants.values()) if (p !== except) p.send(message);
  }

  toModerators(message: ServerMessage): void {
    for (const p of this.#participants.values()) if (p.role === 'moderator') p.send(message);
  }

  hasModerator(): boolean {
    for (const p of this.#participants.values()) if (p.role === 'moderator') return true;
    return false;
  }

  /** True while anyone encrypts end to end. */
  get e2eeActive(): boolean {
    for (const p of this.#participants.values()) if (p.e2ee) return true;
    return false;
  }

  /** Closes every participant and forgets them. */
  closeAll(): void {
    for (const p of this.#participants.values()) p.close();
    this.#participants.clear();
  }
}
