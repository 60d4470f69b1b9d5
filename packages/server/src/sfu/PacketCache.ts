/**
 * The last few hundred packets of one published stream, keyed by their original sequence number,
 * so a subscriber's NACK can be answered without asking the publisher. Memory only (PRIVACY P10):
 * slots are overwritten as the stream moves on and dropped with the stream.
 */
export interface CachedPacket {
  /** The packet as forwarded, header fields to be rewritten per subscriber. */
  packet: Buffer;
  sequence: number;
  timestamp: number;
  /** performance.now() when it arrived; stale retransmissions are useless to a jitter buffer. */
  at: number;
}

export class PacketCache {
  readonly #slots: (CachedPacket | undefined)[];
  readonly #mask: number;

  /** `size` is rounded up to a power of two. */
  constructor(
    size = 512,
    private readonly maxAgeMs = 1000,
  ) {
    let n = 1;
    while (n < size) n <<= 1;
    this.#slots = new Array(n);
    this.#mask = n - 1;
  }

  put(entry: CachedPacket): void {
    this.#slots[entry.sequence & this.#mask] = entry;
  }

  get(sequence: number, now: number): CachedPacket | undefined {
    const entry = this.#slots[sequence & this.#mask];
    if (!entry || entry.sequence !== sequence || now - entry.at > this.maxAgeMs) return undefined;
    return entry;
  }

  clear(): void {
    this.#slots.fill(undefined);
  }
}
