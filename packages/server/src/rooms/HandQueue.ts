/**
 * The raised hands of one meeting, in the order they went up. Ids only; it lives in the Room's
 * memory and goes with it (PRIVACY P1, P6).
 */
export class HandQueue {
  // A Set iterates in insertion order, and re-adding a present id keeps its place.
  readonly #raised = new Set<string>();

  /** False when the hand was already up (it keeps its place in the queue). */
  raise(id: string): boolean {
    if (this.#raised.has(id)) return false;
    this.#raised.add(id);
    return true;
  }

  /** False when the hand was not up. */
  lower(id: string): boolean {
    return this.#raised.delete(id);
  }

  has(id: string): boolean {
    return this.#raised.has(id);
  }

  /** First raised first. */
  list(): string[] {
    return [...this.#raised];
  }

  get size(): number {
    return this.#raised.size;
  }

  clear(): void {
    this.#raised.clear();
  }
}
