/**
 * Picks the participant who is speaking, from RFC 6464 audio levels. Each tick turns the levels
 * seen since the previous tick into a loudness (dB above a noise floor) and folds it into a
 * per-participant moving average; the dominant speaker changes only when someone else's average
 * beats the current speaker's by a margin, and not more often than `minHoldMs`, so a cough or a
 * short "yes" does not steal the stage. Pure: the caller supplies the clock.
 */
export interface DominantSpeakerOptions {
  /** Levels at or below this loudness (in -dBov, 127 = silence) count as silence. */
  silenceLevel: number;
  /** Weight of the newest tick in the moving average (0–1). */
  smoothing: number;
  /** How much louder (in dB of average loudness) a challenger must be. */
  margin: number;
  /** Least time a speaker keeps the stage before another may take it. */
  minHoldMs: number;
}

export const DEFAULT_DOMINANT_SPEAKER: DominantSpeakerOptions = {
  silenceLevel: 70,
  smoothing: 0.3,
  margin: 3,
  minHoldMs: 1500,
};

interface Speaker {
  sum: number;
  count: number;
  score: number;
}

export class DominantSpeakerDetector {
  readonly #speakers = new Map<string, Speaker>();
  #current: string | undefined;
  #since = -Infinity;

  constructor(private readonly options: DominantSpeakerOptions = DEFAULT_DOMINANT_SPEAKER) {}

  get current(): string | undefined {
    return this.#current;
  }

  /** One audio packet's level from `id` (0 loudest … 127 silence). */
  observe(id: string, level: number): void {
    let s = this.#speakers.get(id);
    if (!s) {
      s = { sum: 0, count: 0, score: 0 };
      this.#speakers.set(id, s);
    }
    s.sum += Math.max(0, this.options.silenceLevel - level);
    s.count++;
  }

  remove(id: string): void {
    this.#speakers.delete(id);
    if (this.#current === id) {
      this.#current = undefined;
      this.#since = -Infinity;
    }
  }

  /** Folds the levels seen since the last tick in; returns the new dominant speaker when it changed. */
  tick(now: number): string | undefined {
    const { smoothing, margin, minHoldMs } = this.options;
    let best: string | undefined;
    let bestScore = 0;
    for (const [id, s] of this.#speakers) {
      const loudness = s.count ? s.sum / s.count : 0;
      s.score = s.score * (1 - smoothing) + loudness * smoothing;
      s.sum = 0;
      s.count = 0;
      if (s.score > bestScore) {
        best = id;
        bestScore = s.score;
      }
    }
    if (!best || best === this.#current || bestScore < margin) return undefined;
    const currentScore = this.#current ? (this.#speakers.get(this.#current)?.score ?? 0) : 0;
    if (this.#current !== undefined && (bestScore < currentScore + margin || now - this.#since < minHoldMs)) {
      return undefined;
    }
    this.#current = best;
    this.#since = now;
    return best;
  }
}
