import type { ChatBody, ChatMessage } from '@conclave/protocol';
import type { E2EEManager } from '../e2ee/E2EEManager.js';

/** A chat message as the UI shows it. `text` is null when it could not be decrypted. */
export interface ChatEntry {
  id: string;
  from: string;
  /** Set on a private message: the participant it was sent to. */
  to?: string;
  text: string | null;
  sentAt: number;
}

/**
 * The meeting's chat as this participant has seen it, in arrival order. With E2EE on, chat is
 * encrypted with a key derived from the same passphrase, so the server relays ciphertext it
 * cannot read; incoming messages are opened one after another so that order survives decryption.
 */
export class ChatLog {
  readonly #entries: ChatEntry[] = [];
  readonly #e2ee: E2EEManager | undefined;
  readonly #onMessage: (entry: ChatEntry) => void;
  #queue: Promise<void> = Promise.resolve();

  /** `onMessage` hears each new message, not the history given at join. */
  constructor(e2ee: E2EEManager | undefined, onMessage: (entry: ChatEntry) => void) {
    this.#e2ee = e2ee;
    this.#onMessage = onMessage;
  }

  get entries(): readonly ChatEntry[] {
    return this.#entries;
  }

  /** What to send for `text`: ciphertext while E2EE is on, the text otherwise. */
  async body(text: string): Promise<ChatBody> {
    return this.#e2ee?.enabled
      ? { kind: 'e2ee', ciphertext: await this.#e2ee.encryptChat(text) }
      : { kind: 'text', text };
  }

  /** Opens (decrypts if needed) and records a message; `notify` is false for history. */
  receive(message: ChatMessage, notify: boolean): void {
    this.#queue = this.#queue.then(async () => {
      const text =
        message.body.kind === 'text'
          ? message.body.text
          : ((await this.#e2ee?.decryptChat(message.body.ciphertext)) ?? null);
      const entry: ChatEntry = {
        id: message.id,
        from: message.from,
        ...(message.to ? { to: message.to } : {}),
        text,
        sentAt: message.sentAt,
      };
      this.#entries.push(entry);
      if (notify) this.#onMessage(entry);
    });
  }
}
