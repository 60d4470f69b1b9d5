/**
 * A small typed event emitter for browser and Node. A listener that throws cannot break the
 * emitter or the listeners after it: the error is reported to `onListenerError` instead.
 */
export class Emitter<Events extends { [K in keyof Events]: unknown[] }> {
  // Listeners are stored untyped; `on` and `emit` are the typed doors in and out.
  readonly #listeners = new Map<keyof Events, Set<Listener>>();

  constructor(private readonly onListenerError: (error: unknown) => void = reportAsync) {}

  on<K extends keyof Events>(event: K, listener: (...args: Events[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as Listener);
    return () => this.off(event, listener);
  }

  once<K extends keyof Events>(event: K, listener: (...args: Events[K]) => void): () => void {
    const off = this.on(event, (...args) => {
      off();
      listener(...args);
    });
    return off;
  }

  off<K extends keyof Events>(event: K, listener: (...args: Events[K]) => void): void {
    this.#listeners.get(event)?.delete(listener as Listener);
  }

  protected emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  protected removeAllListeners(): void {
    this.#listeners.clear();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: internal storage type; never crosses a boundary
type Listener = (...args: any[]) => void;

function reportAsync(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
