import type { MediaPath } from './MediaPath.js';

/** Longest time an old media path is kept while its replacement fails to connect. */
const HANDOVER_TIMEOUT_MS = 10_000;
/**
 * Once the new path is connected, how long the old one keeps carrying media while the new one
 * waits for its first decoded frames. Video someone does not receive on the new path (a hidden
 * tile, last-N) never arrives, so this bounds the overlap.
 */
const FIRST_FRAMES_WAIT_MS = 3_000;
const FIRST_FRAMES_POLL_MS = 50;
/**
 * How long an old path stays open (sending) after this side has stopped showing it. The others
 * switch on their own schedule: until they decode this side's media on the new path they still
 * play it from the old one, and closing it at once froze this side's video for them (0.4–1.5 s
 * at 2→3 in bench/mode-switch). Each side waits at most FIRST_FRAMES_WAIT_MS after connecting.
 */
const LINGER_MS = FIRST_FRAMES_WAIT_MS;

export interface HandoverOptions<P extends MediaPath> {
  /** Stops showing a path's media (its remote tracks go); Handover closes the path itself later. */
  release(path: P): void;
  /** How many remote videos the new path should decode before the old one goes. */
  expectedVideos(): number;
}

/**
 * A P2P⇄SFU switch that nobody notices: the new path becomes current at once, the old one keeps
 * carrying media until the new one is connected *and* has decoded video from everyone who sends
 * some (the receiver's decoder needs a key frame first), or until a deadline. Retiring the old path
 * on `connected` alone left every video frozen for the time to the first key frame (0.7–1 s).
 */
export class Handover<P extends MediaPath = MediaPath> {
  readonly #options: HandoverOptions<P>;
  #previous: P | undefined;
  /** Old paths no longer shown, still sending for the others until their timer closes them. */
  readonly #lingering = new Map<P, ReturnType<typeof setTimeout>>();
  #deadline: ReturnType<typeof setTimeout> | undefined;
  #poll: ReturnType<typeof setTimeout> | undefined;

  constructor(options: HandoverOptions<P>) {
    this.#options = options;
  }

  /** The path still carrying media while its replacement comes up. */
  get previous(): P | undefined {
    return this.#previous;
  }

  /** `old` stays until `next` has taken over (see `connected`). A handover in progress ends first. */
  begin(old: P): void {
    this.finish();
    this.#previous = old;
    this.#deadline = setTimeout(() => this.finish(), HANDOVER_TIMEOUT_MS);
  }

  /** The new path is connected: retire the old one once the new one decodes everyone's video. */
  connected(next: P): void {
    const previous = this.#previous;
    if (!previous) return;
    clearTimeout(this.#poll);
    const since = Date.now();
    const check = async (): Promise<void> => {
      const decoding = await decodingVideos(next);
      if (this.#previous !== previous) return; // finished or replaced meanwhile
      if (decoding >= this.#options.expectedVideos() || Date.now() - since >= FIRST_FRAMES_WAIT_MS) {
        this.finish();
      } else {
        this.#poll = setTimeout(() => void check(), FIRST_FRAMES_POLL_MS);
      }
    };
    void check();
  }

  /** Stops showing the old path now, if there is one, and closes it LINGER_MS later. Idempotent. */
  finish(): void {
    clearTimeout(this.#deadline);
    clearTimeout(this.#poll);
    this.#deadline = undefined;
    this.#poll = undefined;
    const previous = this.#previous;
    this.#previous = undefined;
    if (!previous) return;
    this.#options.release(previous);
    const timer = setTimeout(() => {
      this.#lingering.delete(previous);
      previous.close();
    }, LINGER_MS);
    this.#lingering.set(previous, timer);
  }

  /** Ends the handover and closes every old path at once (leaving the meeting). */
  close(): void {
    this.finish();
    for (const [path, timer] of this.#lingering) {
      clearTimeout(timer);
      path.close();
    }
    this.#lingering.clear();
  }
}

/** Remote video streams on `path` that have decoded at least one frame. */
async function decodingVideos(path: MediaPath): Promise<number> {
  const report = await path.getStats().catch(() => undefined);
  let count = 0;
  report?.forEach((s: { type?: string; kind?: string; framesDecoded?: number }) => {
    if (s.type === 'inbound-rtp' && s.kind === 'video' && (s.framesDecoded ?? 0) > 0) count++;
  });
  return count;
}
