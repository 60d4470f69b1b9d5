import type {
  MediaEngine,
  MediaRouter,
  MediaSession,
  MediaSignal,
  MediaTap,
  MediaTapHandle,
} from '../sfu/MediaEngine.js';

/** How long SFU sessions outlive the SFU mode, so clients can bring the P2P path up first. */
export const SFU_DRAIN_MS = 10_000;
/** A participant's session that failed is opened again after this long… */
export const REOPEN_DELAY_MS = 1000;
/** …at most this many times within REOPEN_WINDOW_MS (a client that keeps failing stops costing). */
export const MAX_REOPENS = 3;
export const REOPEN_WINDOW_MS = 60_000;

/** The participant's side of its session: where the engine's signals go. */
export interface MediaPeer {
  signal(signal: MediaSignal): void;
  /**
   * A new session replaces one that failed; called just before its offer. The client must start a
   * new PeerConnection for it (its old one talks to a closed session).
   */
  reopened(): void;
}

interface Entry {
  session: MediaSession;
  peer: MediaPeer;
  draining: boolean;
}

/**
 * A room's SFU sessions, one per participant, seen only through the MediaEngine interface. The
 * room says when sessions open (SFU mode) and when they drain (the meeting went back to P2P: the
 * sessions stay up for SFU_DRAIN_MS so that no one loses media before the direct path is up).
 */
export class RoomMedia {
  readonly #sessions = new Map<string, Entry>();
  /** Per participant: when its sessions failed (within REOPEN_WINDOW_MS), and a pending reopen. */
  readonly #failures = new Map<string, number[]>();
  readonly #reopenTimers = new Map<string, NodeJS.Timeout>();
  /** Participants whose session failed and has not been replaced yet. */
  readonly #lost = new Set<string>();
  #router: MediaRouter | undefined;
  #drainTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    private readonly engine: MediaEngine | undefined,
    private readonly onDominantSpeaker: (participantId: string) => void,
    /** Whether the room lets this participant present now (the engine forwards its screen only then). */
    private readonly screenAllowed: (participantId: string) => boolean = () => false,
  ) {}

  get available(): boolean {
    return this.engine !== undefined;
  }

  /** Whether `participantId` has a live (not draining) session. */
  isOpen(participantId: string): boolean {
    const entry = this.#sessions.get(participantId);
    return entry !== undefined && !entry.draining;
  }

  /**
   * Opens (or replaces) the participant's session; the engine's offer goes out through `peer`. A
   * session that fails (ICE/DTLS, the connect timeout, garbage from the client) while the room is
   * in SFU mode is opened again, within a budget, so one glitch does not leave someone without
   * media for the rest of the meeting.
   */
  open(participantId: string, peer: MediaPeer): void {
    if (this.#closed || !this.engine) return;
    this.#closeSession(participantId);
    // Also when the room opens it (someone joined) before the reopen timer: either way it is new.
    if (this.#lost.delete(participantId)) peer.reopened();
    this.#router ??= this.#createRouter(this.engine);
    const entry: Entry = { session: undefined as unknown as MediaSession, peer, draining: false };
    this.#sessions.set(participantId, entry);
    entry.session = this.#router.openSession(participantId, {
      signal: (signal) => {
        if (this.#sessions.get(participantId) === entry) peer.signal(signal);
      },
      closed: () => {
        if (this.#sessions.get(participantId) !== entry) return;
        this.#sessions.delete(participantId);
        if (entry.draining) return;
        this.#lost.add(participantId);
        this.#scheduleReopen(participantId, peer);
      },
    });
  }

  /**
   * The participant's client lost its connection to its session (`mediaSignal.restart`): replaced
   * like a failed one, within the same budget. False when it has no live session.
   */
  restart(participantId: string): boolean {
    const entry = this.#sessions.get(participantId);
    if (!entry || entry.draining) return false;
    this.#closeSession(participantId);
    this.#lost.add(participantId);
    this.#scheduleReopen(participantId, entry.peer);
    return true;
  }

  #scheduleReopen(participantId: string, peer: MediaPeer): void {
    const now = Date.now();
    const recent = (this.#failures.get(participantId) ?? []).filter((t) => now - t < REOPEN_WINDOW_MS);
    recent.push(now);
    this.#failures.set(participantId, recent);
    if (recent.length > MAX_REOPENS || this.#reopenTimers.has(participantId)) return;
    const timer = setTimeout(() => {
      this.#reopenTimers.delete(participantId);
      if (!this.#closed && !this.#sessions.has(participantId)) this.open(participantId, peer);
    }, REOPEN_DELAY_MS);
    timer.unref();
    this.#reopenTimers.set(participantId, timer);
  }

  /** Taps the room's incoming media for the recorder; undefined when there is no engine. */
  tap(tap: MediaTap): MediaTapHandle | undefined {
    if (this.#closed || !this.engine) return undefined;
    this.#router ??= this.#createRouter(this.engine);
    return this.#router.addTap(tap);
  }

  /** The participant started or stopped presenting (the room's rule said yes). */
  screenShareChanged(participantId: string): void {
    this.#router?.screenShareChanged(participantId);
  }

  #createRouter(engine: MediaEngine): MediaRouter {
    return engine.createRouter({
      dominantSpeaker: (id) => this.onDominantSpeaker(id),
      screenAllowed: (id) => this.screenAllowed(id),
    });
  }

  /** Negotiation from the participant; false when it has no session (e.g. after a P2P switch drained it). */
  signal(participantId: string, signal: MediaSignal): boolean {
    const entry = this.#sessions.get(participantId);
    if (!entry) return false;
    entry.session.signal(signal);
    return true;
  }

  /** The participant left: its session, a pending reopen and its failure history go. */
  close(participantId: string): void {
    this.#closeSession(participantId);
    this.#failures.delete(participantId);
    this.#lost.delete(participantId);
  }

  #closeSession(participantId: string): void {
    clearTimeout(this.#reopenTimers.get(participantId));
    this.#reopenTimers.delete(participantId);
    const entry = this.#sessions.get(participantId);
    if (!entry) return;
    this.#sessions.delete(participantId);
    entry.session.close();
  }

  /** The room left SFU mode: keep forwarding for a while, then close every session. */
  drain(): void {
    for (const entry of this.#sessions.values()) entry.draining = true;
    for (const timer of this.#reopenTimers.values()) clearTimeout(timer);
    this.#reopenTimers.clear();
    // Back in SFU mode later, everyone starts a new PeerConnection anyway.
    this.#lost.clear();
    clearTimeout(this.#drainTimer);
    this.#drainTimer = setTimeout(() => {
      for (const [id, entry] of [...this.#sessions]) if (entry.draining) this.#closeSession(id);
    }, SFU_DRAIN_MS);
    this.#drainTimer.unref();
  }

  /** Idempotent: closes every session and the router. */
  closeAll(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#drainTimer);
    for (const id of [...this.#sessions.keys(), ...this.#reopenTimers.keys()]) this.#closeSession(id);
    this.#failures.clear();
    this.#lost.clear();
    this.#router?.close();
    this.#router = undefined;
  }
}
