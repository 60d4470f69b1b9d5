/** Thrown to waiters still in line when the queue closes (shutdown). */
export class CompositionQueueClosed extends Error {
  override readonly name = 'CompositionQueueClosed';
  constructor() {
    super('composition queue closed');
  }
}

interface Waiter {
  order: number;
  start(): void;
  reject(err: unknown): void;
}

/**
 * Lets at most `limit` compositions run at once. One composition keeps about a core busy for most
 * of the recording's length (BENCHMARKS.md), so meetings that end together must not start one
 * ffmpeg each next to the live media. Waiters go in `order` (the service uses the retention
 * deadline: earliest first, which is the order the recordings stopped), then first come first served.
 */
export class CompositionQueue {
  #running = 0;
  #closed = false;
  readonly #waiting: Waiter[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Runs `task` when its turn comes. If `signal` aborts while the task waits, it leaves the line
   * and is never run (the promise rejects with the signal's reason); once running, the task itself
   * must watch the signal.
   */
  async run<T>(task: () => Promise<T>, signal: AbortSignal, order = 0): Promise<T> {
    await this.#turn(signal, order);
    try {
      return await task();
    } finally {
      this.#running--;
      this.#next();
    }
  }

  /** Rejects every waiter with `CompositionQueueClosed`; running tasks finish. */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) waiter.reject(new CompositionQueueClosed());
  }

  #turn(signal: AbortSignal, order: number): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#closed) return Promise.reject(new CompositionQueueClosed());
    if (this.#running < this.limit && this.#waiting.length === 0) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        order,
        start: () => {
          signal.removeEventListener('abort', onAbort);
          this.#running++;
          resolve();
        },
        reject: (err) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      };
      const onAbort = () => {
        const at = this.#waiting.indexOf(waiter);
        if (at >= 0) this.#waiting.splice(at, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const behind = this.#waiting.findIndex((w) => w.order > order);
      this.#waiting.splice(behind < 0 ? this.#waiting.length : behind, 0, waiter);
    });
  }

  #next(): void {
    while (this.#running < this.limit) {
      const waiter = this.#waiting.shift();
      if (!waiter) return;
      waiter.start();
    }
  }
}
