import type { ReactionEmoji } from '@conclave/protocol';
import { ConclaveError } from '../errors.js';
import { TokenBucket } from '../util/rateLimit.js';
import { HandQueue } from './HandQueue.js';
import { requireModerator } from './moderation.js';
import type { Participant } from './Participant.js';
import type { Roster } from './Roster.js';

/**
 * Reactions a participant may send in a burst, then one per second: enough to applaud, too few to
 * turn everyone's screen into confetti.
 */
export const REACTION_BURST = 5;
export const REACTIONS_PER_SECOND = 1;

/**
 * Raised hands and reactions in one meeting. The queue is memory only and dropped with the room
 * (PRIVACY P1, P6); a reaction is relayed once and never kept. Owned by the Room, which tells it
 * who comes and goes; every change is announced to everyone through the roster.
 */
export class Presence {
  readonly #hands = new HandQueue();
  readonly #reactionBuckets = new Map<string, TokenBucket>();

  constructor(
    private readonly roster: Roster,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  /** The raised hands, first raised first. */
  get hands(): string[] {
    return this.#hands.list();
  }

  raiseHand(participant: Participant): void {
    if (!this.#hands.raise(participant.id)) return;
    this.#announce({ id: participant.id, raised: true, by: participant.id });
  }

  /**
   * Lowers `id`'s hand (own when absent). Someone else's only by a moderator, checked here whatever
   * the UI shows; lowering a hand that is not up changes nothing.
   */
  lowerHand(by: Participant, id: string = by.id): void {
    if (id !== by.id) {
      requireModerator(by);
      this.roster.other(by, id);
    }
    if (!this.#hands.lower(id)) return;
    this.#announce({ id, raised: false, by: by.id });
  }

  react(participant: Participant, emoji: ReactionEmoji): void {
    let bucket = this.#reactionBuckets.get(participant.id);
    if (!bucket) {
      bucket = new TokenBucket(REACTION_BURST, REACTIONS_PER_SECOND, this.now);
      this.#reactionBuckets.set(participant.id, bucket);
    }
    if (!bucket.take()) throw new ConclaveError('REACTION_RATE_LIMITED');
    this.roster.broadcast({ type: 'reaction', from: participant.id, emoji });
  }

  /** A newcomer learns the hands already up (nothing is sent when none are). */
  welcome(participant: Participant): void {
    if (this.#hands.size > 0) participant.send({ type: 'hands', queue: this.#hands.list() });
  }

  /** Someone left: their hand comes down, and the others hear of it. */
  leave(participant: Participant): void {
    this.#reactionBuckets.delete(participant.id);
    if (this.#hands.lower(participant.id))
      this.roster.broadcast({ type: 'hands', queue: this.#hands.list() });
  }

  clear(): void {
    this.#hands.clear();
    this.#reactionBuckets.clear();
  }

  #announce(change: { id: string; raised: boolean; by: string }): void {
    this.roster.broadcast({ type: 'hands', queue: this.#hands.list(), change });
  }
}
