import type { ReportBlock } from './rtcp.js';

/** Sequence numbers further ahead than this (or behind) restart the count (RFC 3550 A.1 MAX_DROPOUT). */
const MAX_DROPOUT = 3000;
/** 2^32: the NTP fraction and the "middle 32 bits" arithmetic. */
const TWO_32 = 0x1_0000_0000;

/**
 * What the engine has received on one incoming RTP stream (one SSRC), kept as RFC 3550 Appendix A
 * describes, so that the receiver report it sends the publisher is true: loss since the last report
 * and in all, the extended highest sequence number, interarrival jitter, and the last sender
 * report with the delay since it (the publisher computes its round-trip time from those two).
 * Chromium, which has no transport-cc towards the engine, adapts its send rate to the loss this
 * reports. Updated for every packet, so nothing here allocates.
 */
export class ReceptionStats {
  #started = false;
  #baseSeq = 0;
  #maxSeq = 0;
  #cycles = 0;
  #received = 0;
  #expectedPrior = 0;
  #receivedPrior = 0;
  /** Interarrival jitter in timestamp units, scaled by 16 as in RFC 3550 A.8. */
  #jitter16 = 0;
  #lastTransit = Number.NaN;
  /** Middle 32 bits of the last SR's NTP timestamp and when it arrived (ms, performance.now()). */
  #lastSr = 0;
  #lastSrAt = 0;

  constructor(private readonly clockRate: number) {}

  /** One RTP packet of this stream, arrived at `arrivalMs` (performance.now()). */
  packet(sequence: number, rtpTimestamp: number, arrivalMs: number): void {
    if (!this.#started) {
      this.#started = true;
      this.#baseSeq = sequence;
      this.#maxSeq = sequence;
    } else {
      const delta = (sequence - this.#maxSeq) & 0xffff;
      if (delta > 0 && delta < MAX_DROPOUT) {
        if (sequence < this.#maxSeq) this.#cycles += 0x10000;
        this.#maxSeq = sequence;
      } else if (delta !== 0 && delta < 0x10000 - 100) {
        // A jump neither forward within MAX_DROPOUT nor a late packet: the sender restarted its
        // sequence. Count afresh from here rather than report a flood of loss.
        this.#baseSeq = sequence;
        this.#maxSeq = sequence;
        this.#cycles = 0;
        this.#received = 0;
        this.#expectedPrior = 0;
        this.#receivedPrior = 0;
      }
    }
    this.#received++;
    // Jitter: the variation of (arrival - RTP timestamp), in the stream's clock units (A.8).
    const arrival = Math.round((arrivalMs * this.clockRate) / 1000);
    const transit = (arrival - rtpTimestamp) | 0;
    if (!Number.isNaN(this.#lastTransit)) {
      const d = Math.abs((transit - this.#lastTransit) | 0);
      this.#jitter16 += d - ((this.#jitter16 + 8) >> 4);
    }
    this.#lastTransit = transit;
  }

  /** A sender report for this stream arrived (its NTP timestamp), at `arrivalMs`. */
  senderReport(ntpSeconds: number, ntpFraction: number, arrivalMs: number): void {
    this.#lastSr = (((ntpSeconds & 0xffff) * 0x10000) >>> 0) + (ntpFraction >>> 16);
    this.#lastSrAt = arrivalMs;
  }

  /**
   * The report block for this stream, or undefined before its first packet. Closes the interval
   * over which `fractionLost` is measured, so call it once per report sent.
   */
  report(ssrc: number, nowMs: number): ReportBlock | undefined {
    if (!this.#started) return undefined;
    const extendedMax = this.#cycles + this.#maxSeq;
    const expected = extendedMax - this.#baseSeq + 1;
    const lost = Math.max(0, expected - this.#received);
    const expectedInterval = expected - this.#expectedPrior;
    const receivedInterval = this.#received - this.#receivedPrior;
    this.#expectedPrior = expected;
    this.#receivedPrior = this.#received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost =
      expectedInterval <= 0 || lostInterval <= 0
        ? 0
        : Math.min(255, Math.floor((lostInterval * 256) / expectedInterval));
    const delaySinceLastSr =
      this.#lastSr === 0 ? 0 : Math.round(((nowMs - this.#lastSrAt) * 65536) / 1000) % TWO_32;
    return {
      ssrc,
      fractionLost,
      cumulativeLost: Math.min(lost, 0x7fffff),
      highestSequence: extendedMax % TWO_32,
      jitter: this.#jitter16 >> 4,
      lastSenderReport: this.#lastSr,
      delaySinceLastSenderReport: delaySinceLastSr,
    };
  }
}
