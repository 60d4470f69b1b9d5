import {
  type ClientMessage,
  type ClientMessageOf,
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

/** More redirects than this for one join means the nodes disagree; give up rather than bounce. */
const MAX_REDIRECTS = 3;
/**
 * A redirect's target gets this long to open and welcome when `connect` set no limit: it is a node
 * the directory names, and one that hangs (alive at TCP level, answering nothing) would otherwise
 * hold the join for as long as the browser lets a handshake wait.
 */
const REDIRECT_CONNECT_TIMEOUT_MS = 5_000;
/**
 * A server that sent nothing for this many of its heartbeat intervals hangs: the connection is
 * given up as lost. One late heartbeat is not enough, two missed in a row are.
 */
const MISSED_HEARTBEATS = 2;

/**
 * The signalling WebSocket: connects, agrees on a protocol version, validates every message the
 * server sends against the protocol schemas, and hands them on as typed events. A `redirect` in
 * reply to `join` (protocol 2: the meeting runs on another node of the service) is followed here,
 * unseen by the caller: a new socket to the node named, the same `join` with the ticket. A server
 * that sends `heartbeat`s and then falls silent (a hung host: its TCP connection stays open, so no
 * close ever comes) is given up, as if the connection had dropped.
 */
export class SignalingClient extends Emitter<SignalingEvents> {
  #socket: WebSocket | undefined;
  #closed = false;
  #url = '';
  // Set by `connect`: Node 20 has no global WebSocket, so no default may be evaluated here.
  #WebSocket: WebSocketConstructor | undefined;
  #join: ClientMessageOf<'join'> | undefined;
  #redirects = 0;
  #timeoutMs: number | undefined;
  /** Silence after which the server counts as hung; known from its first `heartbeat`. */
  #silenceMs: number | undefined;
  #watchdog: ReturnType<typeof setTimeout> | undefined;

  /**
   * Opens the connection and agrees on a version. `timeoutMs` (when given) bounds both: a server
   * that died without closing its sockets may otherwise leave the browser waiting for minutes.
   */
  static async connect(
    url: string,
    WebSocketImpl: WebSocketConstructor = WebSocket,
    timeoutMs?: number,
  ): Promise<SignalingClient> {
    const client = new SignalingClient();
    client.#WebSocket = WebSocketImpl;
    client.#timeoutMs = timeoutMs;
    try {
      await within(client.#open(url), timeoutMs);
    } catch (err) {
      client.close();
      throw err;
    }
    return client;
  }

  /** The signalling URL in use now (another node's after a redirect). */
  get url(): string {
    return this.#url;
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(message: ClientMessage): void {
    if (!this.#socket || this.#closed)
      throw new ServerError('NOT_CONNECTED', 'The signalling connection is closed.');
    if (message.type === 'join') {
      this.#join = message;
      this.#redirects = 0;
    }
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
    clearTimeout(this.#watchdog);
    this.#socket?.close(1000, 'bye');
    this.emit('closed', { code: 1000, reason: 'closed by client' });
    this.removeAllListeners();
  }

  async #open(url: string): Promise<void> {
    const socket = new (this.#WebSocket ?? WebSocket)(url);
    this.#socket = socket;
    this.#url = url;
    socket.onmessage = (event: MessageEvent) => {
      if (socket !== this.#socket) return;
      this.#heard();
      if (typeof event.data !== 'string') return;
      let json: unknown;
      try {
        json = JSON.parse(event.data);
      } catch {
        return;
      }
      const parsed = ServerMessage.safeParse(json);
      // A newer server may send messages this client does not know; ignoring them is forward-compatible.
      if (!parsed.success) return;
      if (parsed.data.type === 'heartbeat') {
        this.#silenceMs = MISSED_HEARTBEATS * parsed.data.everyMs;
        this.#heard();
      } else if (parsed.data.type === 'redirect') void this.#follow(parsed.data);
      else this.emit('message', parsed.data);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.#closed || socket !== this.#socket) return;
      this.#lost(event.code, event.reason);
    };
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve();
      socket.onerror = () => reject(new ServerError('NOT_CONNECTED', 'Cannot reach the signalling server.'));
    });
    const welcome = this.waitFor('welcome', 'hello');
    this.send({ type: 'hello', versions: [...PROTOCOL_VERSIONS] });
    await welcome;
  }

  /**
   * Moves to the node the server named and joins there. The target comes from the server's own
   * directory; still, this client goes only to ws:/wss: (never from wss: down to ws:) and only a
   * few times per join. In a browser the page's CSP (connect-src) is the final word on where.
   */
  async #follow(redirect: ServerMessageOf<'redirect'>): Promise<void> {
    const join = this.#join;
    const refuse = (why: string) =>
      this.emit('message', { type: 'error', code: 'REDIRECT_REFUSED', message: why, inReplyTo: 'join' });
    if (!join) return;
    if (++this.#redirects > MAX_REDIRECTS) return refuse('Too many redirects for one join.');
    let target: URL;
    try {
      target = new URL(redirect.url);
    } catch {
      return refuse('The redirect is not a valid URL.');
    }
    const secure = new URL(this.#url).protocol === 'wss:';
    if (target.protocol !== 'wss:' && (secure || target.protocol !== 'ws:')) {
      return refuse('The redirect would leave an encrypted connection.');
    }
    const old = this.#socket;
    const redirects = this.#redirects;
    // The target's own messages restart the watch; meanwhile the time limit below covers it.
    clearTimeout(this.#watchdog);
    try {
      old?.close(1000, 'redirected');
      await within(this.#open(target.toString()), this.#timeoutMs ?? REDIRECT_CONNECT_TIMEOUT_MS);
    } catch {
      if (!this.#closed) this.#lost(1006, 'redirect target unreachable');
      return;
    }
    this.send({ ...join, ticket: redirect.ticket });
    this.#redirects = redirects;
  }

  /** Something came from the server: it is alive; the watch starts again (once it sent a heartbeat). */
  #heard(): void {
    if (this.#silenceMs === undefined || this.#closed) return;
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => {
      if (!this.#closed) this.#lost(1006, 'the server stopped answering');
    }, this.#silenceMs);
  }

  /** The connection is gone (closed by the server or the network, or given up on): say so once. */
  #lost(code: number, reason: string): void {
    this.#closed = true;
    clearTimeout(this.#watchdog);
    // A hung server or an unanswered redirect still holds a socket; nothing more is wanted of it.
    this.#socket?.close(1000, 'lost');
    this.emit('closed', { code, reason });
    this.removeAllListeners();
  }
}

/**
 * `opening`, or NOT_CONNECTED after `timeoutMs` (when given): a server that died without closing
 * its sockets may otherwise leave the browser waiting for minutes.
 */
async function within<T>(opening: Promise<T>, timeoutMs: number | undefined): Promise<T> {
  if (timeoutMs === undefined) return opening;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ServerError('NOT_CONNECTED', 'The signalling server did not answer in time.')),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([opening, late]);
  } catch (err) {
    // The attempt may still fail on its own later; that is no longer anyone's concern.
    opening.catch(() => {});
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
