/*
 * A small reorder buffer for one RTP stream: packets come out in sequence order; a missing packet
 * is waited for at most `latencyMs` (it may only be late) and then declared lost, so the reader
 * can drop the damaged frame. Sequence numbers are extended past the 16-bit wrap.
 */

export interface BufferedPacket {
  /** Extended (32-bit and beyond) sequence number. */
  seq: number;
  timestamp: number;
  marker: boolean;
  payload: Buffer;
  arrival: number;
}

export type JitterOutput = { lost: false; packet: BufferedPacket } | { lost: true; count: number };

export class JitterBuffer {
  readonly #pending = new Map<number, BufferedPacket>();
  #next: number | undefined;
  /** Highest extended sequence number seen. */
  #top = -1;

  constructor(
    private readonly latencyMs: number,
    private readonly maxPackets = 512,
  ) {}

  /** Adds a packet; returns what can now be read in order. Duplicates and very late packets are dropped. */
  push(
    sequence16: number,
    timestamp: number,
    marker: boolean,
    payload: Buffer,
    arrival: number,
  ): JitterOutput[] {
    const seq = this.#extend(sequence16);
    if (this.#next === undefined) this.#next = seq;
    if (seq < this.#next || this.#pending.has(seq)) return this.drain(arrival);
    this.#pending.set(seq, { seq, timestamp, marker, payload, arrival });
    return this.drain(arrival);
  }

  /** What is readable at `now`: in-order packets, and gaps older than the latency declared lost. */
  drain(now: number, flush = false): JitterOutput[] {
    const out: JitterOutput[] = [];
    while (this.#next !== undefined && this.#pending.size > 0) {
      const packet = this.#pending.get(this.#next);
      if (packet) {
        this.#pending.delete(this.#next);
        this.#next++;
        out.push({ lost: false, packet });
        continue;
      }
      // A gap: wait for it unless the oldest packet behind it has waited long enough.
      let oldest = Infinity;
      let first = Infinity;
      for (const p of this.#pending.values()) {
        oldest = Math.min(oldest, p.arrival);
        first = Math.min(first, p.seq);
      }
      if (!flush && now - oldest < this.latencyMs && this.#pending.size < this.maxPackets) break;
      out.push({ lost: true, count: first - this.#next });
      this.#next = first;
    }
    return out;
  }

  #extend(sequence16: number): number {
    if (this.#top < 0) {
      // Start well above zero so that a packet from just before the first one stays positive.
      this.#top = 0x10000 + sequence16;
      return this.#top;
    }
    let delta = (sequence16 - (this.#top & 0xffff)) & 0xffff;
    if (delta >= 0x8000) delta -= 0x10000;
    const seq = this.#top + delta;
    if (seq > this.#top) this.#top = seq;
    return seq;
  }
}
