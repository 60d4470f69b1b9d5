import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';

/*
 * A Janus session over its WebSocket API (subprotocol `janus-protocol`): transactions, handles,
 * keepalives. Only what the bench needs: attach to the VideoRoom plugin, send plugin messages
 * (with an optional JSEP) and trickle candidates.
 */

export interface Jsep {
  type: 'offer' | 'answer';
  sdp: string;
}

export interface JanusEvent {
  janus: string;
  transaction?: string;
  sender?: number;
  data?: { id: number };
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: Jsep;
  error?: { code: number; reason: string };
}

/** How long a request may wait for its answer (joins on a loaded core take a while). */
const REQUEST_TIMEOUT_MS = 30_000;
/** Under the session timeout of the bench's janus.jcfg (60 s). */
const KEEPALIVE_MS = 20_000;

export class JanusSession {
  readonly #ws: WebSocket;
  readonly #pending = new Map<string, { resolve(e: JanusEvent): void; reject(e: Error): void }>();
  #id = 0;
  /** Handles whose PeerConnection is up (`webrtcup`), and who waits for one. */
  readonly #up = new Set<number>();
  readonly #upWaiters = new Map<number, () => void>();
  #keepalive: NodeJS.Timeout | undefined;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data) => this.#onMessage(JSON.parse(String(data)) as JanusEvent));
    ws.on('close', () => {
      for (const p of this.#pending.values()) p.reject(new Error('janus: socket closed'));
      this.#pending.clear();
    });
  }

  static async open(url: string): Promise<JanusSession> {
    const ws = new WebSocket(url, 'janus-protocol');
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const session = new JanusSession(ws);
    const created = await session.#request({ janus: 'create' });
    session.#id = created.data?.id ?? 0;
    session.#keepalive = setInterval(() => {
      session.#send({ janus: 'keepalive', session_id: session.#id });
    }, KEEPALIVE_MS);
    return session;
  }

  async attach(plugin: string): Promise<number> {
    const attached = await this.#request({ janus: 'attach', session_id: this.#id, plugin });
    return attached.data?.id ?? 0;
  }

  /**
   * A plugin message; resolves with the plugin's answer (the synchronous `success` or, for
   * asynchronous requests, the `event` after the `ack`). A plugin error rejects.
   */
  async message(handle: number, body: Record<string, unknown>, jsep?: Jsep): Promise<JanusEvent> {
    const reply = await this.#request({
      janus: 'message',
      session_id: this.#id,
      handle_id: handle,
      body,
      ...(jsep ? { jsep } : {}),
    });
    const error = reply.plugindata?.data.error;
    if (error !== undefined) throw new Error(`janus videoroom ${String(body.request)}: ${String(error)}`);
    return reply;
  }

  /** Resolves once the handle's PeerConnection is up (ICE and DTLS done), as Janus reports it. */
  webrtcUp(handle: number, timeoutMs = REQUEST_TIMEOUT_MS): Promise<void> {
    if (this.#up.has(handle)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('janus: PeerConnection not up')), timeoutMs);
      this.#upWaiters.set(handle, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  trickle(handle: number, candidate: { candidate: string; sdpMid: string } | { completed: true }): void {
    this.#send({ janus: 'trickle', session_id: this.#id, handle_id: handle, candidate });
  }

  close(): void {
    clearInterval(this.#keepalive);
    if (this.#ws.readyState === WebSocket.OPEN) this.#send({ janus: 'destroy', session_id: this.#id });
    this.#ws.close();
  }

  #send(message: Record<string, unknown>): string {
    const transaction = randomUUID();
    this.#ws.send(JSON.stringify({ ...message, transaction }));
    return transaction;
  }

  #request(message: Record<string, unknown>): Promise<JanusEvent> {
    return new Promise((resolve, reject) => {
      const transaction = this.#send(message);
      const timer = setTimeout(() => {
        this.#pending.delete(transaction);
        reject(new Error(`janus ${String(message.janus)}: no answer`));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(transaction, {
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  #onMessage(event: JanusEvent): void {
    if (event.janus === 'webrtcup' && event.sender !== undefined) {
      this.#up.add(event.sender);
      this.#upWaiters.get(event.sender)?.();
      this.#upWaiters.delete(event.sender);
      return;
    }
    const pending = event.transaction ? this.#pending.get(event.transaction) : undefined;
    if (!pending || !event.transaction) return; // media, slowlink, other publishers' news
    // An asynchronous plugin message is acked first, then answered by an event.
    if (event.janus === 'ack') return;
    this.#pending.delete(event.transaction);
    if (event.janus === 'error') pending.reject(new Error(`janus: ${event.error?.reason ?? 'error'}`));
    else pending.resolve(event);
  }
}
