import { SFrameError } from './errors.js';

export const DEFAULT_REPLAY_WINDOW = 128;
const MAX_REPLAY_WINDOW = 4096;

/**
 * Sliding-window anti-replay for one key (the shape SRTP uses, RFC 3711 §3.3.2). RFC 9605 §7.4
 * leaves replay handling to the application; media needs some reordering tolerance, so counters
 * up to `size - 1` behind the highest accepted one are allowed once each.
 *
 * Bit i of `seen` stands for counter `highest - i`.
 */
export class ReplayWindow {
  readonly size: number;
  #highest = -1n;
  #seen = 0n;
  readonly #mask: bigint;

  constructor(size: number = DEFAULT_REPLAY_WINDOW) {
    if (!Number.isInteger(size) || size < 1 || size > MAX_REPLAY_WINDOW) {
      throw new SFrameError(
        'invalid-argument',
        `replay window must be an integer in [1, ${MAX_REPLAY_WINDOW}]`,
      );
    }
    this.size = size;
    this.#mask = (1n << BigInt(size)) - 1n;
  }

  /** Highest counter accepted so far, or `undefined` before the first frame. */
  get highest(): bigint | undefined {
    return this.#highest < 0n ? undefined : this.#highest;
  }

  /** `undefined` if `ctr` would be accepted, otherwise why not. Does not change state. */
  check(ctr: bigint): string | undefined {
    if (ctr > this.#highest) return undefined;
    const age = this.#highest - ctr;
    if (age >= BigInt(this.size)) return `counter ${ctr} is older than the ${this.size}-frame replay window`;
    if ((this.#seen >> age) & 1n) return `counter ${ctr} was already received`;
    return undefined;
  }

  /**
   * Records `ctr`. Call only after the frame authenticated, so forged frames cannot advance the
   * window and lock out genuine ones. Throws `replay` if it is not acceptable.
   */
  accept(ctr: bigint): void {
    const problem = this.check(ctr);
    if (problem !== undefined) throw new SFrameError('replay', problem);
    if (ctr > this.#highest) {
      const shift = ctr - this.#highest;
      // Jumps can be up to 2^64; a huge shift would allocate a huge bigint, so clamp it.
      this.#seen = shift >= BigInt(this.size) ? 1n : ((this.#seen << shift) | 1n) & this.#mask;
      this.#highest = ctr;
    } else {
      this.#seen |= 1n << (this.#highest - ctr);
    }
  }
}
