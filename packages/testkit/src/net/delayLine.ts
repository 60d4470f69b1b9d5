import { performance } from 'node:perf_hooks';

/*
 * One direction of a delayed link: a FIFO of datagrams, each released no earlier than its due
 * time. A due time is never earlier than the one before it, so jitter can spread the datagrams
 * out but never reorder them (a reordering link is a different impairment). One timer, armed for
 * the head of the queue, serves the whole line. The queue is bounded, like a real link's buffer:
 * beyond `maxQueue` waiting datagrams, new ones are dropped and counted.
 */

export interface DelayLineOptions {
  /** One-way delay, ms. */
  delayMs: number;
  /** Extra delay drawn uniformly from [0, jitterMs) for each datagram (0: none). */
  jitterMs: number;
  /** Datagrams that may wait at once; more are dropped. */
  maxQueue: number;
}

export interface DelayLineCounters {
  /** Datagrams handed on after their delay. */
  forwarded: number;
  /** Datagrams dropped because the queue was full. */
  dropped: number;
  /** The most any datagram was released after its due time, ms (the event loop's lateness). */
  maxLateMs: number;
  /** The sum of those lateness values, ms (over `forwarded`: the mean). */
  totalLateMs: number;
}

interface Waiting {
  due: number;
  release: () => void;
}

export class DelayLine {
  readonly #queue: Waiting[] = [];
  /** Index of the head in #queue (shifting an array per datagram would be quadratic). */
  #head = 0;
  #lastDue = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly counters: DelayLineCounters = { forwarded: 0, dropped: 0, maxLateMs: 0, totalLateMs: 0 };

  constructor(private options: DelayLineOptions) {}

  /** Changes the delay (and jitter) of datagrams pushed from now on; those waiting keep theirs. */
  set(delayMs: number, jitterMs = this.options.jitterMs): void {
    this.options = { ...this.options, delayMs, jitterMs };
  }

  get waiting(): number {
    return this.#queue.length - this.#head;
  }

  /** Holds a datagram; `release` hands it on once its delay has passed (never after close). */
  push(release: () => void): void {
    if (this.#closed) return;
    if (this.waiting >= this.options.maxQueue) {
      this.counters.dropped++;
      return;
    }
    const { delayMs, jitterMs } = this.options;
    const jitter = jitterMs > 0 ? Math.random() * jitterMs : 0;
    const due = Math.max(this.#lastDue, performance.now() + delayMs + jitter);
    this.#lastDue = due;
    this.#queue.push({ due, release });
    if (this.waiting === 1) this.#arm();
  }

  /** Drops everything waiting and stops the timer; later pushes are ignored. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue.length = 0;
    this.#head = 0;
  }

  #arm(): void {
    const head = this.#queue[this.#head];
    if (!head || this.#closed) return;
    // Node may fire a timer up to a millisecond early against performance.now(); #flush checks the
    // due time itself and re-arms, so no datagram ever leaves before its delay.
    this.#timer = setTimeout(() => this.#flush(), Math.max(0, Math.ceil(head.due - performance.now())));
  }

  #flush(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (let head = this.#queue[this.#head]; head && head.due <= now; head = this.#queue[this.#head]) {
      this.#head++;
      this.counters.forwarded++;
      this.counters.maxLateMs = Math.max(this.counters.maxLateMs, now - head.due);
      this.counters.totalLateMs += now - head.due;
      head.release();
      if (this.#closed) return;
    }
    if (this.waiting === 0) {
      this.#queue.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
    this.#arm();
  }
}
