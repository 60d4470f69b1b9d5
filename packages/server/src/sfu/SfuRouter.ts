import type { Logger } from '../log/logger.js';
import { DominantSpeakerDetector } from './DominantSpeaker.js';
import type {
  MediaEngineStats,
  MediaRouter,
  MediaRouterEvents,
  MediaSession,
  MediaSessionEvents,
} from './MediaEngine.js';
import { PeerSession, type PeerSessionContext } from './PeerSession.js';

export type RouterContext = Omit<PeerSessionContext, 'onAudioLevel' | 'onClosed'> & {
  /** Called when the router has closed. */
  onClosed(router: SfuRouter): void;
};

const SPEAKER_TICK_MS = 300;

/**
 * One meeting's forwarding plane: every session's publications are subscribed by every other
 * session. It also runs dominant-speaker detection over the audio levels its sessions see.
 */
export class SfuRouter implements MediaRouter {
  readonly #sessions = new Map<string, PeerSession>();
  readonly #speaker = new DominantSpeakerDetector();
  readonly #speakerTimer: NodeJS.Timeout;
  #closed = false;

  constructor(
    private readonly events: MediaRouterEvents,
    private readonly ctx: RouterContext,
    private readonly log: Logger,
  ) {
    this.#speakerTimer = setInterval(() => {
      const speaker = this.#speaker.tick(performance.now());
      if (speaker !== undefined) this.events.dominantSpeaker(speaker);
    }, SPEAKER_TICK_MS);
    this.#speakerTimer.unref();
  }

  get stats(): MediaEngineStats {
    return this.ctx.stats;
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  openSession(participantId: string, events: MediaSessionEvents): MediaSession {
    if (this.#closed) throw new Error('router closed');
    this.#sessions.get(participantId)?.close();
    const session = new PeerSession(participantId, events, {
      ...this.ctx,
      log: this.log,
      onAudioLevel: (id, level) => this.#speaker.observe(id, level),
      onClosed: (closed) => this.#sessionClosed(closed),
    });
    const others = [...this.#sessions.values()];
    this.#sessions.set(participantId, session);
    this.ctx.stats.sessions++;
    for (const other of others) session.subscribe(other);
    session.start();
    for (const other of others) other.subscribe(session);
    return session;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#speakerTimer);
    for (const session of [...this.#sessions.values()]) session.close();
    this.ctx.onClosed(this);
  }

  #sessionClosed(session: PeerSession): void {
    if (this.#sessions.get(session.participantId) !== session) return;
    this.#sessions.delete(session.participantId);
    this.ctx.stats.sessions--;
    this.#speaker.remove(session.participantId);
    if (this.#closed) return;
    for (const other of this.#sessions.values()) other.unsubscribe(session);
  }
}
