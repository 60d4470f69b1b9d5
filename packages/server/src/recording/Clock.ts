/*
 * Time as the recording jobs see it. Deadlines are wall-clock (they must survive a restart), and
 * every wait goes through `sleep`, so tests drive days of retries and deadlines in milliseconds.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      timer.unref();
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A clock for tests: `sleep` moves time forward at once instead of waiting. */
export class ManualClock implements Clock {
  constructor(public time = Date.UTC(2030, 0, 1)) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.time += ms;
    // Let other work (I/O, other jobs) run between virtual waits.
    await new Promise((r) => setImmediate(r));
  }
}
