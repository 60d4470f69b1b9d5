/** A forward jump larger than this is a restart (or not worth recovering), not loss. */
const MAX_GAP = 128;
/** Most holes tracked per stream; a publisher that skips wildly cannot grow this without bound. */
const MAX_TRACKED = 512;
/** A hole younger than this may just be reordering: not asked for yet. */
export const REORDER_WAIT_MS = 10;
/** Between two requests for the same packet. */
export const RETRY_MS = 100;
/** Requests per packet before giving up. */
export const MAX_TRIES = 3;
/** After this the packet is useless to any jitter buffer (and older than the cache keeps). */
const GIVE_UP_MS = 1000;
/** While holes are open, how often `packet()` asks for a `due()` check (no timer of its own). */
const CHECK_EVERY_MS = 10;

interface Hole {
  since: number;
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

  get size(): number {
    return this.#holes.size;
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
      if (this.#holes.size > 0) this.#holes.delete(sequence);
    } else if (delta > MAX_GAP) {
      this.#highest = sequence;
      this.#holes.clear();
    } else if (delta > 1) {
      const from = this.#highest;
      this.#highest = sequence;
      for (let s = 1; s < delta && this.#holes.size < MAX_TRACKED; s++)
        this.#holes.set((from + s) & 0xffff, { since: now, askedAt: -Infinity, tries: 0 });
      return true;
    } else if (delta === 1) {
      this.#highest = sequence;
    }
    return this.#holes.size > 0 && now - this.#lastCheck >= CHECK_EVERY_MS;
  }

  /**
   * Appends to `out` the sequence numbers to ask for now (oldest first) and counts the request;
   * forgets holes that are too old or asked for too often.
   */
  due(now: number, out: number[]): void {
    this.#lastCheck = now;
    for (const [sequence, hole] of this.#holes) {
      if (now - hole.since > GIVE_UP_MS || hole.tries >= MAX_TRIES) {
        this.#holes.delete(sequence);
        continue;
      }
      if (now - hole.since < REORDER_WAIT_MS || now - hole.askedAt < RETRY_MS) continue;
      hole.askedAt = now;
      hole.tries++;
      out.push(sequence);
    }
  }
}
