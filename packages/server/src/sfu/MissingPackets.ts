/** A forward jump larger than this is a restart (or not worth recovering), not loss. */
const MAX_GAP = 128;
/** Most holes tracked per stream; a publisher that skips wildly cannot grow this without bound. */
const MAX_TRACKED = 512;
/** A hole younger than this may just be reordering: not asked for yet. */
export const REORDER_WAIT_MS = 10;
/** Between two requests for the same packet, at least (see MissingPackets#retryMs). */
export const RETRY_MS = 100;
/** Between two requests, at most: with MAX_TRIES it must stay well inside GIVE_UP_MS. */
export const MAX_RETRY_MS = 300;
/** Requests per packet before giving up. */
export const MAX_TRIES = 3;
/** After this the packet is useless to any jitter buffer (and older than the cache keeps). */
const GIVE_UP_MS = 1000;
/** While holes are open, how often `packet()` asks for a `due()` check (no timer of its own). */
const CHECK_EVERY_MS = 10;

interface Hole {
  since: number;
  firstAskedAt: number;
  askedAt: number;
  tries: number;
}

/**
 * The holes in one incoming stream's sequence numbers, so the engine can NACK the publisher for
 * packets lost on the way *to* it: a subscriber that NACKs such a packet would find nothing in the
 * cache, and every subscriber would see the loss. A retransmission (same sequence number; no RTX
 * is negotiated) fills the hole, is cached, and goes on to the subscribers like any late packet.
 */
export class MissingPackets {
  #highest = -1;
  readonly #holes = new Map<number, Hole>();
  #lastCheck = -Infinity;
  /**
   * How long a request takes to be answered (smoothed, ms), from the holes that a packet filled
   * after they were asked for: the round trip to the publisher, which the engine has no other way
   * to know here. Asking again sooner than that only repeats a request whose answer is on its way
   * (measured behind a 150 ms round trip: ≈ 1.7× the upstream NACKs).
   */
  #answerMs: number | undefined;

  get size(): number {
    return this.#holes.size;
  }

  /** The wait before asking for a packet again: the answer time with a margin, within bounds. */
  get retryMs(): number {
    const wait = this.#answerMs === undefined ? RETRY_MS : this.#answerMs * 1.25;
    return Math.min(MAX_RETRY_MS, Math.max(RETRY_MS, wait));
  }

  /**
   * One packet arrived (a new one, a late one or a retransmission). Returns true when `due()`
   * should be called now: the packet opened a hole, or holes are open and CHECK_EVERY_MS passed.
   */
  packet(sequence: number, now: number): boolean {
    if (this.#highest < 0) {
      this.#highest = sequence;
      return false;
    }
    const delta = (sequence - this.#highest) & 0xffff;
    if (delta >= 0x8000) {
      // Older than the highest: reordered or retransmitted, no longer missing.
      const hole = this.#holes.size > 0 ? this.#holes.get(sequence) : undefined;
      if (hole) {
        this.#holes.delete(sequence);
        // Timed from the first request: an answer to a later one would read as a shorter trip.
        if (hole.tries > 0) this.#answered(now - hole.firstAskedAt);
      }
    } else if (delta > MAX_GAP) {
      this.#highest = sequence;
      this.#holes.clear();
    } else if (delta > 1) {
      const from = this.#highest;
      this.#highest = sequence;
      for (let s = 1; s < delta && this.#holes.size < MAX_TRACKED; s++)
        this.#holes.set((from + s) & 0xffff, { since: now, firstAskedAt: 0, askedAt: -Infinity, tries: 0 });
      return true;
    } else if (delta === 1) {
      this.#highest = sequence;
    }
    return this.#holes.size > 0 && now - this.#lastCheck >= CHECK_EVERY_MS;
  }

  /**
   * Appends to `out` the sequence numbers to ask for now (oldest first) and counts the request.
   * Returns how many holes are lost for good: too old, or asked for MAX_TRIES times with no answer
   * to the last request within the retry wait. Every subscriber's decoder then waits for a keyframe.
   */
  due(now: number, out: number[]): number {
    this.#lastCheck = now;
    const retryMs = this.retryMs;
    let lost = 0;
    for (const [sequence, hole] of this.#holes) {
      if (now - hole.since > GIVE_UP_MS || (hole.tries >= MAX_TRIES && now - hole.askedAt >= retryMs)) {
        this.#holes.delete(sequence);
        lost++;
        continue;
      }
      if (hole.tries >= MAX_TRIES) continue;
      if (now - hole.since < REORDER_WAIT_MS || now - hole.askedAt < retryMs) continue;
      if (hole.tries === 0) hole.firstAskedAt = now;
      hole.askedAt = now;
      hole.tries++;
      out.push(sequence);
    }
    return lost;
  }

  /** One answer time (EWMA, 1/8 as for TCP's SRTT): a lost answer or a slow one moves it little. */
  #answered(ms: number): void {
    this.#answerMs = this.#answerMs === undefined ? ms : this.#answerMs + (ms - this.#answerMs) / 8;
  }
}
