import { ConclaveError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { Participant } from './Participant.js';
import type { Roster } from './Roster.js';

export interface ScreenShareHooks {
  /** `participant.screenSharing` flipped (everyone is told already): start or stop forwarding it. */
  changed(participant: Participant): void;
  /** The moderator's setting changed (it is part of the room state everyone sees). */
  roomChanged(): void;
}

/**
 * Who presents in one meeting, and the rule the server enforces: one shared screen at a time,
 * unless a moderator allowed several. A share ends with its participant (who leaves the roster).
 */
export class ScreenShares {
  #multiple = false;
  /** When each share started; the earliest keeps presenting when several are no longer allowed. */
  readonly #since = new WeakMap<Participant, number>();
  #starts = 0;

  constructor(
    private readonly roster: Roster,
    private readonly log: () => Logger,
    private readonly hooks: ScreenShareHooks,
  ) {}

  get multiple(): boolean {
    return this.#multiple;
  }

  /** Starts or stops `participant`'s share; SCREEN_SHARE_BUSY when another presents and only one may. */
  set(participant: Participant, sharing: boolean): void {
    if (participant.screenSharing === sharing) return;
    if (sharing && !this.#multiple && this.#sharing().some((p) => p !== participant))
      throw new ConclaveError('SCREEN_SHARE_BUSY');
    this.#flip(participant, sharing);
  }

  /** Moderators only. Turning it off stops every share but the earliest. */
  setMultiple(by: Participant, allowed: boolean): void {
    if (by.role !== 'moderator') throw new ConclaveError('NOT_MODERATOR');
    if (this.#multiple === allowed) return;
    this.#multiple = allowed;
    this.hooks.roomChanged();
    if (allowed) return;
    const sharing = this.#sharing().sort((a, b) => (this.#since.get(a) ?? 0) - (this.#since.get(b) ?? 0));
    for (const p of sharing.slice(1)) this.#flip(p, false);
  }

  #sharing(): Participant[] {
    return [...this.roster.values()].filter((p) => p.screenSharing);
  }

  #flip(participant: Participant, sharing: boolean): void {
    participant.screenSharing = sharing;
    if (sharing) this.#since.set(participant, ++this.#starts);
    this.log().info('participant.screen', { sharing });
    this.roster.broadcast({ type: 'participantUpdated', participant: participant.info() });
    this.hooks.changed(participant);
  }
}
