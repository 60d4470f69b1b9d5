/** Candidates kept while the first answer is still on its way; a browser gathers a handful. */
export const MAX_EARLY_CANDIDATES = 32;

/**
 * Holds ICE candidates in both directions until the session's first answer is applied.
 *
 * The browser's candidates may overtake that answer (a client sends them as soon as it has them),
 * and libdatachannel refuses candidates before it has a remote description: they wait here, up to
 * MAX_EARLY_CANDIDATES.
 *
 * The engine's own candidates wait too, so that the browser's connectivity checks cannot start
 * before the answer is applied. If they could, libjuice would see the checks already succeeded the
 * moment the answer is set and start DTLS on its own thread while libdatachannel is still storing
 * that answer: the browser's certificate is then checked against no fingerprint, the handshake
 * fails ("certificate verify failed") and the session is lost (9 failed runs in 20 of the SFU
 * signalling test before this; docs/sfu.md).
 */
export class CandidateGate {
  #open = false;
  readonly #early: [candidate: string, mid: string][] = [];
  /** By candidate, so a candidate gathered twice (from the offer and on its own) goes out once. */
  readonly #held = new Map<string, string>();

  constructor(
    /** Gives the browser's candidate to the PeerConnection. */
    private readonly addRemote: (candidate: string, mid: string) => void,
    /** Sends one of the engine's candidates to the browser. */
    private readonly sendLocal: (candidate: string, mid: string) => void,
  ) {}

  /** Whether the first answer has been applied. */
  get open(): boolean {
    return this.#open;
  }

  /** A candidate from the browser. */
  remote(candidate: string, mid: string): void {
    if (this.#open) this.addRemote(candidate, mid);
    else if (this.#early.length < MAX_EARLY_CANDIDATES) this.#early.push([candidate, mid]);
  }

  /** One of the engine's candidates. */
  local(candidate: string, mid: string): void {
    if (this.#open) this.sendLocal(candidate, mid);
    else this.#held.set(candidate, mid);
  }

  /** The first answer is applied: what waited goes, the browser's first. Later calls do nothing. */
  openGate(): void {
    if (this.#open) return;
    this.#open = true;
    for (const [candidate, mid] of this.#early.splice(0)) this.addRemote(candidate, mid);
    for (const [candidate, mid] of this.#held) this.sendLocal(candidate, mid);
    this.#held.clear();
  }
}
