/** Changes within this window (several joins, publishers appearing) go out in one offer. */
export const NEGOTIATION_BATCH_MS = 30;

/**
 * When the engine sends its next offer. The engine is always the offerer and has at most one offer
 * outstanding: changes within NEGOTIATION_BATCH_MS share one offer, and changes made while an
 * answer is awaited get one more offer once it has come.
 */
export class Negotiation {
  #timer: NodeJS.Timeout | undefined;
  #offering = false;
  #needsOffer = false;
  #closed = false;

  /** `offer` makes the offer now (it may throw: the session then fails; see PeerSession). */
  constructor(private readonly offer: () => void) {}

  /** An offer was made and its answer has not been applied yet. */
  get offering(): boolean {
    return this.#offering;
  }

  /**
   * No offer outstanding and none due: the browser's last answer describes the session as it is,
   * so the engine may re-apply it (PeerSession declares simulcast SSRCs this way).
   */
  get idle(): boolean {
    return !this.#closed && !this.#offering && !this.#needsOffer && this.#timer === undefined;
  }

  /** Something changed that the browser must hear of in an offer. */
  request(): void {
    if (this.#closed) return;
    if (this.#offering) {
      this.#needsOffer = true;
      return;
    }
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#offerNow();
    }, NEGOTIATION_BATCH_MS);
    this.#timer.unref();
  }

  /** The answer to the outstanding offer is applied; an offer for what changed meanwhile follows. */
  answered(): void {
    this.#offering = false;
    if (this.#needsOffer) this.request();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #offerNow(): void {
    if (this.#closed) return;
    if (this.#offering) {
      this.#needsOffer = true;
      return;
    }
    this.#needsOffer = false;
    this.#offering = true;
    this.offer();
  }
}
