/**
 * How many signalling sockets each client address holds (issue 17, finding 1): a quota per key, so
 * that one address cannot open sockets until the server runs out of memory. Memory is bounded by
 * the open sockets themselves: a key is forgotten when its last socket closes.
 */
export class SocketQuota {
  readonly #open = new Map<string, number>();

  constructor(private readonly perKey: number) {}

  /** Counts a new socket for `key`; false (and nothing counted) when the key is at its quota. */
  acquire(key: string): boolean {
    const n = this.#open.get(key) ?? 0;
    if (n >= this.perKey) return false;
    this.#open.set(key, n + 1);
    return true;
  }

  release(key: string): void {
    const n = this.#open.get(key) ?? 0;
    if (n <= 1) this.#open.delete(key);
    else this.#open.set(key, n - 1);
  }

  /** Keys holding at least one socket. */
  get size(): number {
    return this.#open.size;
  }
}
