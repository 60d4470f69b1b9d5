/*
 * A ceiling on what one subscriber's downlink carries, from the loss it reports (RFC 3550 receiver
 * reports), in the manner of libwebrtc's loss-based controller: over 10 % lost in two windows in a
 * row, come down to what actually got through; under 2 %, climb back by 8 % a second; in between,
 * hold. Climbing back to a rate that failed waits longer each time it fails again, so a link that
 * cannot take the next layer is not overdriven every few seconds (each attempt costs a burst of
 * loss and two keyframes). A REMB alone misses a link that drops instead of queueing (a policer, a
 * shallow router buffer): its delay hardly grows, so the REMB keeps saying "more" while a third of
 * the packets vanish. Pure: the caller feeds what the reports say and what was sent, with the time.
 */

/** Above this fraction lost, the link is overdriven. */
export const HIGH_LOSS = 0.1;
/** Below this fraction lost, there is room to grow. */
export const LOW_LOSS = 0.02;
/** Growth per second while loss stays low. */
export const GROWTH_PER_SECOND = 1.08;
/** Fewer packets than this in a window say too little about loss to act on. */
export const MIN_PACKETS = 20;
/**
 * Heavy loss must be reported in this many windows in a row before the bound comes down: one
 * burst (a receiver starved of CPU for a moment, a handful of packets lost out of a few dozen under
 * 3 % random loss) says nothing about the link's capacity, and coming down a layer for it costs a
 * keyframe and seconds of a worse picture. A link that is really overdriven loses in every window.
 */
export const HIGH_LOSS_WINDOWS = 2;
/** No lower than this: the lowest layer plus audio must always fit. */
export const FLOOR_BPS = 100_000;
/**
 * After coming down, loss reported within this time still describes packets sent before: acting
 * on it would come down twice for one overload (libwebrtc waits 300 ms plus a round trip).
 */
export const DECREASE_HOLD_MS = 1000;
/** Margin under what got through: the queue that filled up must drain. */
export const DRAIN_MARGIN = 0.9;
/** Wait before climbing back to a rate that failed; doubled on each failure close to the last. */
export const FIRST_BACKOFF_MS = 4000;
export const MAX_BACKOFF_MS = 64_000;
/** A bound this high constrains nothing; it stops growing there. */
const UNBOUNDED_BPS = 1e9;

export class LossBound {
  #bound = Number.POSITIVE_INFINITY;
  #lost = 0;
  #expected = 0;
  /** Octets sent by the start of the current window, and when it started; -1 before the first update. */
  #windowOctets = -1;
  #windowStart = 0;
  #lastDecrease = Number.NEGATIVE_INFINITY;
  /** Windows in a row with heavy loss. */
  #highWindows = 0;
  /** The send rate that last overdrove the link; growth stops under it until the backoff ends. */
  #failedBps = Number.POSITIVE_INFINITY;
  #backoffMs = 0;

  /** Bits/s this subscriber's downlink is judged to carry; Infinity until heavy loss has been seen. */
  get bitsPerSecond(): number {
    return this.#bound;
  }

  /**
   * One stream's reception since its previous report: `expected` packets, `lost` of them net of
   * the earlier losses retransmissions recovered since (so possibly negative).
   */
  record(lost: number, expected: number): void {
    if (!(expected > 0) || !Number.isFinite(lost)) return;
    this.#lost += Math.min(Math.max(lost, -expected), expected);
    this.#expected += expected;
  }

  /**
   * Acts on the loss recorded since the window began, once it holds enough packets; `octetsSent` is
   * the total sent to this subscriber so far (monotonic), `now` in milliseconds. Returns the bound.
   */
  update(octetsSent: number, now: number): number {
    if (this.#windowOctets < 0) {
      this.#windowOctets = octetsSent;
      this.#windowStart = now;
      return this.#bound;
    }
    if (this.#expected < MIN_PACKETS) return this.#bound;
    const loss = Math.max(0, this.#lost) / this.#expected;
    const elapsed = now - this.#windowStart;
    const sentBps = elapsed > 0 ? ((octetsSent - this.#windowOctets) * 8 * 1000) / elapsed : 0;
    this.#lost = 0;
    this.#expected = 0;
    this.#windowOctets = octetsSent;
    this.#windowStart = now;
    this.#highWindows = loss > HIGH_LOSS ? this.#highWindows + 1 : 0;
    if (loss > HIGH_LOSS) {
      if (this.#highWindows < HIGH_LOSS_WINDOWS) return this.#bound;
      if (now - this.#lastDecrease < DECREASE_HOLD_MS) return this.#bound;
      // What got through is the best evidence of what the link carries.
      const base = sentBps > 0 ? Math.min(this.#bound, sentBps * (1 - loss)) : this.#bound;
      if (!Number.isFinite(base)) return this.#bound;
      this.#bound = Math.max(FLOOR_BPS, base * DRAIN_MARGIN);
      const failedAgainSoon = now - this.#lastDecrease < this.#backoffMs + FIRST_BACKOFF_MS * 4;
      this.#backoffMs = failedAgainSoon ? Math.min(MAX_BACKOFF_MS, this.#backoffMs * 2) : FIRST_BACKOFF_MS;
      this.#failedBps = sentBps > 0 ? sentBps : this.#failedBps;
      this.#lastDecrease = now;
    } else if (loss < LOW_LOSS && Number.isFinite(this.#bound)) {
      let grown = this.#bound * GROWTH_PER_SECOND ** (elapsed / 1000);
      if (now - this.#lastDecrease < this.#backoffMs) grown = Math.min(grown, this.#failedBps * DRAIN_MARGIN);
      this.#bound = Math.max(this.#bound, grown);
      if (this.#bound >= UNBOUNDED_BPS) this.#bound = Number.POSITIVE_INFINITY;
    }
    return this.#bound;
  }
}
