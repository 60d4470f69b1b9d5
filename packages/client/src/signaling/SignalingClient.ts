import {
  type ClientMessage,
  PROTOCOL_VERSIONS,
  ServerMessage,
  type ServerMessageOf,
} from '@conclave/protocol';
import { Emitter } from '../Emitter.js';
import { ServerError } from './ServerError.js';

export type WebSocketConstructor = new (url: string) => WebSocket;

type SignalingEvents = {
  message: [ServerMessage];
  closed: [{ code: number; reason: string }];
};

/**
 * The signalling WebSocket: connects, agrees on a protocol version, validates every message the
 * server sends against the protocol schemas, and hands them on as typed events.
 */
export class SignalingClient extends Emitter<SignalingEvents> {
  #socket: WebSocket | undefined;
  #closed = false;

  static async connect(
    url: string,
    WebSocketImpl: WebSocketConstructor = WebSocket,
  ): Promise<SignalingClient> {
    const client = new SignalingClient();
    await client.#open(url, WebSocketImpl);
    return client;
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(message: ClientMessage): void {
    if (!this.#socket || this.#closed)
      throw new ServerError('NOT_CONNECTED', 'The signalling connection is closed.');
    this.#socket.send(JSON.stringify(message));
  }

  /** Resolves with the next message of type `type`, rejects on an `error` about `inReplyTo` or on close. */
  waitFor<T extends ServerMessage['type']>(
    type: T,
    inReplyTo: ClientMessage['type'],
  ): Promise<ServerMessageOf<T>> {
    return new Promise((resolve, reject) => {
      const offMessage = this.on('message', (message) => {
        if (message.type === type) {
          cleanup();
          resolve(message as ServerMessageOf<T>);
        } else if (message.type === 'error' && message.inReplyTo === inReplyTo) {
          cleanup();
          reject(new ServerError(message.code, message.message));
        }
      });
      const offClosed = this.on('closed', ({ code }) => {
        cleanup();
        reject(new ServerError('NOT_CONNECTED', `The signalling connection closed (${code}).`));
      });
      const cleanup = () => {
        offMessage();
        offClosed();
      };
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket?.close(1000, 'bye');
    this.emit('closed', { code: 1000, reason: 'closed by client' });
    this.removeAllListeners();
  }

  async #open(url: string, WebSocketImpl: WebSocketConstructor): Promise<void> {
    const socket = new WebSocketImpl(url);
    this.#socket = socket;
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      let json: unknown;
      try {
        json = JSON.parse(event.data);
      } catch {
        return;
      }
      const parsed = ServerMessage.safeParse(json);
      // A newer server may send messages this client does not know; ignoring them is forward-compatible.
      if (parsed.success) this.emit('message', parsed.data);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.#closed) return;
      this.#closed = true;
      this.emit('closed', { code: event.code, reason: event.reason });
      this.removeAllListeners();
    };
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new ServerError('NOT_CONNECTED', 'Cannot reach the signalling server.'));
    });
    const welcome = this.waitFor('welcome', 'hello');
    this.send({ type: 'hello', versions: [...PROTOCOL_VERSIONS] });
    await welcome;
  }
}
