/** How long a media path may take to connect (or to come back after it dropped) before it counts as failed. */
export const MEDIA_TIMEOUT_MS = 15_000;

/**
 * Tells the server whether this participant's media path is up (`mediaStatus`), so that the others
 * learn when it never comes up — instead of a call that says "connecting…" forever — and a P2P call
 * that cannot connect moves to the SFU. Only changes are reported, and a first success is not news.
 */
export class MediaWatch {
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** What the server last heard; undefined until something went wrong once. */
  #reported: boolean | undefined;

  constructor(
    private readonly report: (connected: boolean) => void,
    private readonly timeoutMs = MEDIA_TIMEOUT_MS,
  ) {}

  /** A new media path started connecting. */
  started(): void {
    this.#arm();
  }

  /** The current path's connection state changed. */
  state(state: RTCPeerConnectionState): void {
    if (state === 'connected') {
      this.#disarm();
      if (this.#reported === false) this.#set(true);
      return;
    }
    // A dropped path may come back (ICE restart, a new SFU session): give it the same time again.
    if ((state === 'failed' || state === 'disconnected') && this.#timer === undefined) this.#arm();
  }

  /** No media path any more (alone, or leaving): nothing to wait for. */
  stopped(): void {
    this.#disarm();
  }

  #arm(): void {
    this.#disarm();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#set(false);
    }, this.timeoutMs);
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #set(connected: boolean): void {
    if (this.#reported === connected) return;
    this.#reported = connected;
    this.report(connected);
  }
}
