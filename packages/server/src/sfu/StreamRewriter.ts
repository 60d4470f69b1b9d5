import { seqNewer } from './rtp.js';

/** Oldest packet, in sequence numbers behind the highest sent, that may still be sent or NACKed. */
const MAX_AGE = 0x4000;

/**
 * A source's last sender report: the sender's wall clock (NTP, in ms) at one of its RTP
 * timestamps. Before the first report `reportNtpMs` is NaN.
 */
export interface SenderClock {
  readonly reportNtpMs: number;
  readonly reportRtp: number;
}

/**
 * Maps the packets of whichever source currently feeds one outgoing stream onto a single,
 * continuous sequence-number and timestamp space, so a subscriber's jitter buffer sees one stream
 * even when its source changes (a simulcast layer switch, a publisher that renegotiated, last-N).
 *
 * Within one source the mapping is a pair of offsets, so reordered packets keep their order and a
 * NACKed outgoing sequence number maps back to the source's. On a switch the new source continues
 * one sequence number after the highest sent.
 *
 * Timestamps on a switch must keep the stream's one relation between RTP time and the sender's
 * wall clock, which the subscriber learnt from the sender reports passed on so far: that relation
 * is what lets it play this stream in sync with the publisher's other (audio) stream. So when the
 * new source has sent a report and the subscriber has been given one, the new source's timestamps
 * are placed by its report on that relation (Chromium's simulcast layers each have a timestamp
 * offset of their own). Otherwise they continue from the last one sent plus the time elapsed
 * since it was sent, in the stream's clock rate: that keeps playout smooth but places the new
 * source off by however much its first packet's delay differs from the last one's (a keyframe
 * paced out behind others: tens of ms), and the subscriber's synchronisation is off by as much.
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
  /** The relation the subscriber knows: wall clock (NTP ms) at an outgoing timestamp; NaN: none yet. */
  #anchorNtpMs = Number.NaN;
  #anchorOut = 0;
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
  rewrite(
    source: number,
    sequence: number,
    timestamp: number,
    now: number,
    clock?: SenderClock,
  ): StreamRewriter | undefined {
    if (source !== this.#source) {
      this.#tsOffset = this.#switchOffset(timestamp, now, clock);
      this.#source = source;
      this.#seqOffset = (this.#highestOut + 1 - sequence) & 0xffff;
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

  /** The outgoing timestamp for a source timestamp of the current source (retransmissions). */
  outTimestamp(sourceTimestamp: number): number {
    return (sourceTimestamp + this.#tsOffset) >>> 0;
  }

  /**
   * A sender report of the current source, as passed on to the subscriber: its RTP timestamp in
   * the outgoing space. The relation it states is the one later sources are placed on.
   */
  senderReport(reportNtpMs: number, sourceTimestamp: number): number {
    const out = this.outTimestamp(sourceTimestamp);
    this.#anchorNtpMs = reportNtpMs;
    this.#anchorOut = out;
    return out;
  }

  /** The timestamp offset of a new source whose first packet has `timestamp`. */
  #switchOffset(timestamp: number, now: number, clock: SenderClock | undefined): number {
    if (!this.#started) return (this.#highestOutTs - timestamp) >>> 0;
    const next = (this.#highestOutTs + 1) >>> 0;
    if (clock && !Number.isNaN(clock.reportNtpMs) && !Number.isNaN(this.#anchorNtpMs)) {
      // The packet's wall-clock time by its source's report, then the outgoing timestamp that the
      // subscriber's relation gives that time. RTP differences are taken as signed 32-bit.
      const sinceReport = (timestamp - clock.reportRtp) | 0;
      const ticks = Math.round(((clock.reportNtpMs - this.#anchorNtpMs) * this.clockRate) / 1000);
      const out = (this.#anchorOut + ticks + sinceReport) >>> 0;
      // Never at or before the last timestamp sent (the same captured frame of a lower layer may
      // have gone out already): one tick later then, which is off by at most that frame.
      const ahead = (out - this.#highestOutTs) | 0;
      return ((ahead > 0 ? out : next) - timestamp) >>> 0;
    }
    const elapsed = Math.max(1, Math.round(((now - this.#highestOutAt) * this.clockRate) / 1000));
    return (this.#highestOutTs + elapsed - timestamp) >>> 0;
  }
}
