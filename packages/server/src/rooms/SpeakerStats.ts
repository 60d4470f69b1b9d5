import type { SpeakerStat } from '@conclave/protocol';

/**
 * Dominant-speaker time per participant, in memory for the meeting only (PRIVACY P6). Fed either by
 * the SFU's audio-level detection (`setDominant`) or, in P2P mode, by clients reporting when they
 * start and stop speaking (`speaking`): the dominant speaker keeps the floor until they stop, then
 * it passes to whoever has been speaking longest since.
 */
export class SpeakerStats {
  readonly #totals = new Map<string, number>();
  /** Participants currently speaking, in the order they started. */
  readonly #speaking: string[] = [];
  #dominant: { id: string; since: number } | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  get dominant(): string | null {
    return this.#dominant?.id ?? null;
  }

  /** Returns true when the dominant speaker changed. */
  speaking(id: string, speaking: boolean): boolean {
    const at = this.#speaking.indexOf(id);
    if (speaking && at < 0) this.#speaking.push(id);
    if (!speaking && at >= 0) this.#speaking.splice(at, 1);
    const current = this.#dominant?.id;
    if (current !== undefined && this.#speaking.includes(current)) return false;
    return this.setDominant(this.#speaking[0] ?? null);
  }

  /** Returns true when the dominant speaker changed. */
  setDominant(id: string | null): boolean {
    if ((this.#dominant?.id ?? null) === id) return false;
    const t = this.now();
    this.#settle(t);
    this.#dominant = id === null ? undefined : { id, since: t };
    return true;
  }

  /** Forgets a participant who left; returns true when the dominant speaker changed. */
  remove(id: string): boolean {
    const at = this.#speaking.indexOf(id);
    if (at >= 0) this.#speaking.splice(at, 1);
    const changed = this.#dominant?.id === id && this.setDominant(this.#speaking[0] ?? null);
    this.#totals.delete(id);
    return changed;
  }

  snapshot(participantIds: Iterable<string>): SpeakerStat[] {
    const t = this.now();
    return [...participantIds].map((id) => {
      const ongoing = this.#dominant?.id === id ? t - this.#dominant.since : 0;
      return { id, dominantMs: Math.round((this.#totals.get(id) ?? 0) + ongoing) };
    });
  }

  clear(): void {
    this.#totals.clear();
    this.#speaking.length = 0;
    this.#dominant = undefined;
  }

  #settle(t: number): void {
    if (!this.#dominant) return;
    const { id, since } = this.#dominant;
    this.#totals.set(id, (this.#totals.get(id) ?? 0) + (t - since));
  }
}
