import type {
  MediaEngine,
  MediaRouter,
  MediaSession,
  MediaSignal,
  MediaTap,
  MediaTapHandle,
} from './MediaEngine.js';

/** How long SFU sessions outlive the SFU mode, so clients can bring the P2P path up first. */
export const SFU_DRAIN_MS = 10_000;

interface Entry {
  session: MediaSession;
  draining: boolean;
}

/**
 * A room's SFU sessions, one per participant, seen only through the MediaEngine interface. The
 * room says when sessions open (SFU mode) and when they drain (the meeting went back to P2P: the
 * sessions stay up for SFU_DRAIN_MS so that no one loses media before the direct path is up).
 */
export class RoomMedia {
  readonly #sessions = new Map<string, Entry>();
  #router: MediaRouter | undefined;
  #drainTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    private readonly engine: MediaEngine | undefined,
    private readonly onDominantSpeaker: (participantId: string) => void,
  ) {}

  get available(): boolean {
    return this.engine !== undefined;
  }

  /** Whether `participantId` has a live (not draining) session. */
  isOpen(participantId: string): boolean {
    const entry = this.#sessions.get(participantId);
    return entry !== undefined && !entry.draining;
  }

  /** Opens (or replaces) the participant's session; the engine's offer goes out through `send`. */
  open(participantId: string, send: (signal: MediaSignal) => void): void {
    if (this.#closed || !this.engine) return;
    this.close(participantId);
    this.#router ??= this.engine.createRouter({ dominantSpeaker: (id) => this.onDominantSpeaker(id) });
    const entry: Entry = { session: undefined as unknown as MediaSession, draining: false };
    this.#sessions.set(participantId, entry);
    entry.session = this.#router.openSession(participantId, {
      signal: (signal) => {
        if (this.#sessions.get(participantId) === entry) send(signal);
      },
      closed: () => {
        if (this.#sessions.get(participantId) === entry) this.#sessions.delete(participantId);
      },
    });
  }

  /** Taps the room's incoming media for the recorder; undefined when there is no engine. */
  tap(tap: MediaTap): MediaTapHandle | undefined {
    if (this.#closed || !this.engine) return undefined;
    this.#router ??= this.engine.createRouter({ dominantSpeaker: (id) => this.onDominantSpeaker(id) });
    return this.#router.addTap(tap);
  }

  /** Negotiation from the participant; false when it has no session (e.g. after a P2P switch drained it). */
  signal(participantId: string, signal: MediaSignal): boolean {
    const entry = this.#sessions.get(participantId);
    if (!entry) return false;
    entry.session.signal(signal);
    return true;
  }

  close(participantId: string): void {
    const entry = this.#sessions.get(participantId);
    if (!entry) return;
    this.#sessions.delete(participantId);
    entry.session.close();
  }

  /** The room left SFU mode: keep forwarding for a while, then close every session. */
  drain(): void {
    for (const entry of this.#sessions.values()) entry.draining = true;
    clearTimeout(this.#drainTimer);
    this.#drainTimer = setTimeout(() => {
      for (const [id, entry] of [...this.#sessions]) if (entry.draining) this.close(id);
    }, SFU_DRAIN_MS);
    this.#drainTimer.unref();
  }

  /** Idempotent: closes every session and the router. */
  closeAll(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#drainTimer);
    for (const id of [...this.#sessions.keys()]) this.close(id);
    this.#router?.close();
    this.#router = undefined;
  }
}
