import { signalingUrl } from '../join.js';

/** One place to join again at; `connectTimeoutMs` bounds how long its socket may take to open. */
export interface RejoinTarget {
  readonly serverUrl: string;
  readonly connectTimeoutMs?: number;
}

/**
 * A node that was serving the page may be gone without a word (power loss): a connection attempt
 * to it can hang until the browser's own TCP timeout, minutes, while the entry could take the page
 * at once. This bounds the wait at the cost of one slow handshake on a very bad network.
 */
export const LAST_NODE_CONNECT_TIMEOUT_MS = 3_000;

/**
 * Where a page joins again after its signalling dropped, round after round (docs/cluster.md).
 *
 * First the node that served it last: in a cluster the node hosting its meeting, reached through a
 * redirect. That node takes the page back into a meeting it holds even while the shared directory
 * (Redis) is unreachable, when the entry node could only refuse; and when the directory is up it
 * sends the page on like any entry would. Then the entry the page came from, which is where a
 * meeting whose node died starts again (a new meeting, PRIVACY P1).
 *
 * A last node that cannot be reached while the entry can is taken to be gone, and not tried again
 * for this rejoin; if neither can be reached, the page's own network is the likelier cause, so both
 * stay.
 */
export class RejoinTargets {
  readonly #entry: RejoinTarget;
  #last: RejoinTarget | undefined;
  /** The last node could not be reached in this round. */
  #lastUnreachable = false;

  /** `entry`: the page's origin (or a ws(s) URL); `lastServed`: the signalling URL that served it. */
  constructor(entry: string, lastServed: string | undefined) {
    this.#entry = { serverUrl: entry };
    if (lastServed && signalingUrl(lastServed) !== signalingUrl(entry)) {
      this.#last = { serverUrl: lastServed, connectTimeoutMs: LAST_NODE_CONNECT_TIMEOUT_MS };
    }
  }

  /** The targets of the next round, in the order to try them. */
  round(): RejoinTarget[] {
    this.#lastUnreachable = false;
    return this.#last ? [this.#last, this.#entry] : [this.#entry];
  }

  /** An attempt at `target` failed with `code` (`NOT_CONNECTED`: its socket never opened). */
  failed(target: RejoinTarget, code: string | undefined): void {
    const unreachable = code === 'NOT_CONNECTED';
    if (target === this.#last) this.#lastUnreachable = unreachable;
    else if (target === this.#entry && !unreachable && this.#lastUnreachable) this.#last = undefined;
  }
}
