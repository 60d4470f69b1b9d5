/** A token bucket: `capacity` tokens, refilled continuously at `perSecond`. */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.#tokens = capacity;
    this.#updatedAt = now();
  }

  take(cost = 1): boolean {
    this.#refill();
    if (this.#tokens < cost) return false;
    this.#tokens -= cost;
    return true;
  }

  /** True when the bucket is full again, i.e. remembering it changes nothing. */
  get idle(): boolean {
    this.#refill();
    return this.#tokens >= this.capacity;
  }

  #refill(): void {
    const t = this.now();
    this.#tokens = Math.min(this.capacity, this.#tokens + ((t - this.#updatedAt) / 1000) * this.perSecond);
    this.#updatedAt = t;
  }
}

/**
 * One token bucket per key (e.g. client address), with memory bounded by `maxKeys`: idle buckets are
 * forgotten on sweep, and when the table is full the oldest entry is evicted.
 */
export class KeyedRateLimiter {
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly options: { capacity: number; perSecond: number; maxKeys?: number },
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  take(key: string, cost = 1): boolean {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= (this.options.maxKeys ?? 100_000)) this.#evictOne();
      bucket = new TokenBucket(this.options.capacity, this.options.perSecond, this.now);
      this.#buckets.set(key, bucket);
    }
    return bucket.take(cost);
  }

  /** Forgets buckets that have refilled; call periodically. */
  sweep(): void {
    for (const [key, bucket] of this.#buckets) if (bucket.idle) this.#buckets.delete(key);
  }

  get size(): number {
    return this.#buckets.size;
  }

  #evictOne(): void {
    const first = this.#buckets.keys().next();
    if (!first.done) this.#buckets.delete(first.value);
  }
}

/** Counts events in a sliding window of `windowMs`; used to decide when a client is abusive. */
export class StrikeCounter {
  #times: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  /** Records a strike; true when the limit is now exceeded. */
  strike(): boolean {
    const t = this.now();
    this.#times = this.#times.filter((s) => t - s < this.windowMs);
    this.#times.push(t);
    return this.#times.length > this.limit;
  }
}
