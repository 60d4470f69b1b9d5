import { randomBytes } from 'node:crypto';
import type { Knocker } from '@conclave/protocol';

export type KnockEnd = 'denied' | 'ended';

/** Someone waiting to be let in; the callbacks belong to their signalling connection. */
export interface Knock {
  readonly knocker: Knocker;
  admit(): void;
  refuse(reason: KnockEnd): void;
}

/**
 * The meeting's waiting room. Knockers see nothing of the meeting; moderators see their display
 * name and decide. Everything here dies with the room (PRIVACY P1).
 */
export class Lobby {
  enabled: boolean;
  readonly #waiting = new Map<string, Knock>();

  constructor(enabled: boolean) {
    this.enabled = enabled;
  }

  add(displayName: string | undefined, callbacks: Omit<Knock, 'knocker'>): Knock {
    const knocker: Knocker = {
      id: randomBytes(9).toString('base64url'),
      ...(displayName ? { displayName } : {}),
    };
    const knock = { knocker, ...callbacks };
    this.#waiting.set(knocker.id, knock);
    return knock;
  }

  /** Removes and returns the knock, if it is still waiting. */
  take(id: string): Knock | undefined {
    const knock = this.#waiting.get(id);
    this.#waiting.delete(id);
    return knock;
  }

  knockers(): Knocker[] {
    return [...this.#waiting.values()].map((k) => k.knocker);
  }

  /** Takes every waiting knock, oldest first. */
  drain(): Knock[] {
    const all = [...this.#waiting.values()];
    this.#waiting.clear();
    return all;
  }

  get size(): number {
    return this.#waiting.size;
  }
}
