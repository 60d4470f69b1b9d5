import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { ClientMessage, ServerMessage } from '@conclave/protocol';
import { WebSocket } from 'ws';
import { parseConfig } from '../config/load.js';
import type { ConfigInput } from '../config/schema.js';
import { type RunningServer, type StartOptions, startServer } from '../server.js';

/*
 * Test support: a real server on 127.0.0.1 port 0 with its logs captured at the most verbose
 * level, and a raw WebSocket client that speaks the protocol. Used by integration tests only.
 */

export interface TestServer extends RunningServer {
  wsUrl: string;
  /** Every log line the server wrote, at trace level. */
  logs: string[];
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** A stand-in page for servers under test that do not need the built UI. */
function fixtureWebDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'conclave-web-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Conclave</title>');
  return dir;
}

export async function startTestServer(
  overrides: DeepPartial<ConfigInput> = {},
  start: Omit<StartOptions, 'logDestination'> = {},
): Promise<TestServer> {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const config = parseConfig({
    ...overrides,
    server: { host: '127.0.0.1', port: 0, ...overrides.server },
    log: { level: 'trace', ...overrides.log },
    web: { dir: fixtureWebDir(), ...overrides.web },
    // A free media port per server, so test files running in parallel never share one.
    media: { port: 0, ...overrides.media },
  });
  const server = await startServer(config, { ...start, logDestination: destination });
  return Object.assign(server, { wsUrl: `${server.url.replace('http', 'ws')}/ws`, logs });
}

export class TestClient {
  readonly messages: ServerMessage[] = [];
  readonly #socket: WebSocket;
  #waiters: Array<() => void> = [];
  closeCode: number | undefined;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as ServerMessage);
      this.#wake();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      this.#wake();
    });
  }

  static async connect(
    server: Pick<TestServer, 'wsUrl'>,
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
  static async join(server: TestServer, room: string, displayName?: string) {
    const client = await TestClient.connect(server);
    client.send({ type: 'join', room, ...(displayName ? { displayName } : {}) });
    const joined = await client.next('joined');
    return { client, joined };
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
