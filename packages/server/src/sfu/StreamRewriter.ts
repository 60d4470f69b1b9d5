import { seqNewer } from './rtp.js';

/** Oldest packet, in sequence numbers behind the highest sent, that may still be sent or NACKed. */
const MAX_AGE = 0x4000;

/**
 * Maps the packets of whichever source currently feeds one outgoing stream onto a single,
 * continuous sequence-number and timestamp space, so a subscriber's jitter buffer sees one stream
 * even when its source changes (a simulcast layer switch, a publisher that renegotiated, last-N).
 *
 * Within one source the mapping is a pair of offsets, so reordered packets keep their order and a
 * NACKed outgoing sequence number maps back to the source's. On a switch the new source continues
 * one sequence number after the highest sent, and its timestamps continue from the last one sent
 * plus the wall-clock time elapsed, in the stream's clock rate.
 */
export class StreamRewriter {
  #source: number | undefined;
  #seqOffset = 0;
  #tsOffset = 0;
  #highestOut = 0;
  #highestOutTs = 0;
  #highestOutAt = 0;
  /** First outgoing sequence number of the current source; older ones belong to a previous one. */
  #epochStart = 0;
  #started = false;
  /** The result of the last successful rewrite() (kept here so that forwarding allocates nothing). */
  sequence = 0;
  timestamp = 0;

  constructor(
    private readonly clockRate: number,
    initialSequence = Math.floor(Math.random() * 0x10000),
    initialTimestamp = Math.floor(Math.random() * 0x100000000),
  ) {
    this.#highestOut = (initialSequence - 1) & 0xffff;
    this.#highestOutTs = initialTimestamp >>> 0;
  }

  get source(): number | undefined {
    return this.#source;
  }

  /**
   * The outgoing sequence number and timestamp for a source packet, or undefined when the packet
   * is too old to be sent (it precedes the current source's first packet). The result is the
   * rewriter itself (`sequence`, `timestamp`), valid until the next call.
   */
  rewrite(source: number, sequence: number, timestamp: number, now: number): StreamRewriter | undefined {
    if (source !== this.#source) {
      const elapsed = this.#started
        ? Math.max(1, Math.round(((now - this.#highestOutAt) * this.clockRate) / 1000))
        : 0;
      this.#source = source;
      this.#seqOffset = (this.#highestOut + 1 - sequence) & 0xffff;
      this.#tsOffset = (this.#highestOutTs + elapsed - timestamp) >>> 0;
      this.#epochStart = (this.#highestOut + 1) & 0xffff;
      this.#started = true;
    }
    const outSeq = (sequence + this.#seqOffset) & 0xffff;
    if (outSeq !== this.#epochStart && !seqNewer(outSeq, this.#epochStart)) return undefined;
    const outTs = (timestamp + this.#tsOffset) >>> 0;
    if (seqNewer(outSeq, this.#highestOut)) {
      this.#highestOut = outSeq;
      this.#highestOutTs = outTs;
      this.#highestOutAt = now;
      // Serial arithmetic only orders numbers less than half the space apart: an epoch start left
      // 32768 packets behind would read as ahead, and every packet as older than it (11 minutes
      // into an Opus stream). So it follows at most MAX_AGE behind; nothing that old is sent anyway.
      if (((outSeq - this.#epochStart) & 0xffff) > MAX_AGE) this.#epochStart = (outSeq - MAX_AGE) & 0xffff;
    }
    this.sequence = outSeq;
    this.timestamp = outTs;
    return this;
  }

  /** The source sequence number behind an outgoing one of the current source, for NACKs. */
  sourceSequence(outSequence: number): number | undefined {
    if (this.#source === undefined) return undefined;
    const inEpoch = outSequence === this.#epochStart || seqNewer(outSequence, this.#epochStart);
    const notFuture = outSequence === this.#highestOut || seqNewer(this.#highestOut, outSequence);
    if (!inEpoch || !notFuture) return undefined;
    return (outSequence - this.#seqOffset) & 0xffff;
  }

  /** The outgoing timestamp for a source timestamp of the current source (retransmissions, SRs). */
  outTimestamp(sourceTimestamp: number): number {
    return (sourceTimestamp + this.#tsOffset) >>> 0;
  }
}
