import type { ClientMessage, ServerMessage } from '@conclave/protocol';
import { WebSocket } from 'ws';

/** Where a TestClient connects: any test server (in this process or a child) has one. */
export interface HasWsUrl {
  readonly wsUrl: string;
}

/**
 * A raw WebSocket client that speaks the protocol, for tests that drive the signalling server
 * message by message.
 */
export class TestClient {
  /** Messages not yet consumed by `next`/`nextOf`. */
  readonly messages: ServerMessage[] = [];
  /** Every message received, consumed or not: to check what a client was never sent. */
  readonly received: ServerMessage[] = [];
  /**
   * The server's `heartbeat`s, kept apart: they come every few seconds whatever a test does, like
   * WebSocket pings, and would otherwise land among the messages a test counts or waits for.
   */
  readonly heartbeats: Extract<ServerMessage, { type: 'heartbeat' }>[] = [];
  readonly #socket: WebSocket;
  #waiters: Array<() => void> = [];
  readonly #listeners = new Set<(message: ServerMessage) => void>();
  closeCode: number | undefined;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (message.type === 'heartbeat') {
        this.heartbeats.push(message);
        return;
      }
      this.messages.push(message);
      this.received.push(message);
      for (const listener of this.#listeners) listener(message);
      this.#wake();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      this.#wake();
    });
  }

  static async connect(
    server: HasWsUrl,
    options: { greet?: boolean; versions?: number[] } = {},
  ): Promise<TestClient> {
    const socket = new WebSocket(server.wsUrl);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const client = new TestClient(socket);
    if (options.greet !== false) {
      client.send({ type: 'hello', versions: options.versions ?? [1] });
      await client.next('welcome');
    }
    return client;
  }

  /** Connects, greets and joins; returns the client and its `joined` message. */
  static async join(server: HasWsUrl, room: string, displayName?: string) {
    const client = await TestClient.connect(server);
    client.send({ type: 'join', room, ...(displayName ? { displayName } : {}) });
    const joined = await client.next('joined');
    return { client, joined };
  }

  /**
   * Calls `listener` with every message as it arrives, in order, without consuming it (a listener
   * may `discard` it); returns what stops the calls.
   */
  onMessage(listener: (message: ServerMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Removes a not-yet-consumed message, so that no `next` returns it. */
  discard(message: ServerMessage): void {
    const index = this.messages.indexOf(message);
    if (index >= 0) this.messages.splice(index, 1);
  }

  send(message: ClientMessage): void {
    this.#socket.send(JSON.stringify(message));
  }

  sendRaw(data: string | Buffer): void {
    this.#socket.send(data);
  }

  /** Waits for the first not-yet-consumed message of `type`. */
  next<T extends ServerMessage['type']>(
    type: T,
    timeoutMs = 5000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    return this.nextOf([type], timeoutMs);
  }

  /** Waits for the first not-yet-consumed message of any of `types`. */
  async nextOf<T extends ServerMessage['type']>(
    types: readonly T[],
    timeoutMs = 5000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const type = types.join('|');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.messages.findIndex((m) => (types as readonly string[]).includes(m.type));
      if (index >= 0) return this.messages.splice(index, 1)[0] as Extract<ServerMessage, { type: T }>;
      if (this.closeCode !== undefined)
        throw new Error(`socket closed (${this.closeCode}) while waiting for ${type}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${type}; have ${this.messages.map((m) => m.type)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async closed(timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === undefined) {
      if (Date.now() > deadline) throw new Error('socket did not close');
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.closeCode;
  }

  close(): void {
    this.#socket.close();
  }

  /** Drops the TCP connection without a WebSocket close, like a crashed browser. */
  kill(): void {
    this.#socket.terminate();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
