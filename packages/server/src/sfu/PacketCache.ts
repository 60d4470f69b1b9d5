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
  /** Its VP8 PictureID and TL0PICIDX on arrival (-1: none): forwarding rewrites them in the buffer. */
  pictureId: number;
  tl0PicIdx: number;
}

export class PacketCache {
  // Parallel arrays, so that caching a packet allocates nothing (it runs for every video packet).
  readonly #packets: (Buffer | undefined)[];
  readonly #sequences: Int32Array;
  readonly #timestamps: Float64Array;
  readonly #at: Float64Array;
  readonly #pictureIds: Int32Array;
  readonly #tl0PicIdxs: Int32Array;
  readonly #mask: number;

  /** `size` is rounded up to a power of two. */
  constructor(
    size = 512,
    private readonly maxAgeMs = 1000,
  ) {
    let n = 1;
    while (n < size) n <<= 1;
    this.#packets = new Array(n).fill(undefined);
    this.#sequences = new Int32Array(n).fill(-1);
    this.#timestamps = new Float64Array(n);
    this.#at = new Float64Array(n);
    this.#pictureIds = new Int32Array(n);
    this.#tl0PicIdxs = new Int32Array(n);
    this.#mask = n - 1;
  }

  put(packet: Buffer, sequence: number, timestamp: number, at: number, pictureId = -1, tl0PicIdx = -1): void {
    const i = sequence & this.#mask;
    this.#packets[i] = packet;
    this.#sequences[i] = sequence;
    this.#timestamps[i] = timestamp;
    this.#at[i] = at;
    this.#pictureIds[i] = pictureId;
    this.#tl0PicIdxs[i] = tl0PicIdx;
  }

  get(sequence: number, now: number): CachedPacket | undefined {
    const i = sequence & this.#mask;
    const packet = this.#packets[i];
    if (!packet || this.#sequences[i] !== sequence || now - (this.#at[i] as number) > this.maxAgeMs)
      return undefined;
    return {
      packet,
      sequence,
      timestamp: this.#timestamps[i] as number,
      at: this.#at[i] as number,
      pictureId: this.#pictureIds[i] as number,
      tl0PicIdx: this.#tl0PicIdxs[i] as number,
    };
  }

  clear(): void {
    this.#packets.fill(undefined);
    this.#sequences.fill(-1);
  }
}
