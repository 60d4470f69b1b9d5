import { randomBytes } from 'node:crypto';
import type { ChatBody, ChatMessage } from '@conclave/protocol';
import { ConclaveError } from '../errors.js';
import { TokenBucket } from '../util/rateLimit.js';

export interface ChatOptions {
  maxLength: number;
  /** Keep public messages so that late joiners see them (off by default, PRIVACY P6). */
  historyForLateJoiners: boolean;
  historyLimit: number;
  messagesPerSecond: number;
  burst: number;
}

/**
 * A meeting's chat: limits, and (only if the operator enabled it) the public history. Messages live
 * in this object only; it is dropped with the room (PRIVACY P6). Private messages are never kept.
 */
export class Chat {
  readonly #history: ChatMessage[] = [];
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly options: ChatOptions,
    private readonly now: () => number = Date.now,
  ) {}

  compose(from: string, to: string | undefined, body: ChatBody): ChatMessage {
    const length = body.kind === 'text' ? [...body.text].length : 0;
    if (length > this.options.maxLength) {
      throw new ConclaveError(
        'CHAT_TOO_LONG',
        `Chat messages are limited to ${this.options.maxLength} characters.`,
      );
    }
    let bucket = this.#buckets.get(from);
    if (!bucket) {
      bucket = new TokenBucket(this.options.burst, this.options.messagesPerSecond);
      this.#buckets.set(from, bucket);
    }
    if (!bucket.take()) throw new ConclaveError('CHAT_RATE_LIMITED');
    const message: ChatMessage = {
      id: randomBytes(9).toString('base64url'),
      from,
      ...(to ? { to } : {}),
      body,
      sentAt: this.now(),
    };
    if (!to && this.options.historyForLateJoiners) {
      this.#history.push(message);
      if (this.#history.length > this.options.historyLimit) this.#history.shift();
    }
    return message;
  }

  history(): ChatMessage[] {
    return [...this.#history];
  }

  forget(participantId: string): void {
    this.#buckets.delete(participantId);
  }

  clear(): void {
    this.#history.length = 0;
    this.#buckets.clear();
  }
}
