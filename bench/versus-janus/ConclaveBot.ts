import type { ClientMessage, ServerMessage } from '@conclave/protocol';
import { WebSocket } from 'ws';
import { type Bot, mergeCounters } from './Bot.js';
import { type Kind, type MediaShape, randomSsrc } from './rtp.js';
import { type Published, SyntheticPeer } from './SyntheticPeer.js';
import { answerPublishing, msidByMid } from './sdp.js';

/*
 * A bot in a Conclave meeting, through Conclave's own signalling (docs/protocol.md): hello, join,
 * then answer every offer of the media engine on one PeerConnection, publishing on `pa`/`pv` if
 * it publishes and receiving everyone else's m-lines.
 */

export class ConclaveBot implements Bot {
  readonly sources: Record<Kind, number> | undefined;
  id = '';
  readonly #ws: WebSocket;
  readonly #publisherByMid = new Map<string, string>();
  /** Every peer this bot had; the engine replaces a session that failed (`mediaMode: sfu` again). */
  readonly #peers: SyntheticPeer[] = [];
  #peer: SyntheticPeer | undefined;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(
    ws: WebSocket,
    private readonly shape: MediaShape,
    private readonly address: string,
    publish: boolean,
    readonly drain: boolean,
  ) {
    this.#ws = ws;
    this.sources = publish ? { audio: randomSsrc(), video: randomSsrc() } : undefined;
  }

  /** Joins `room`; media binds `address`, and publishes if `publish`; `drain`: see SyntheticPeer. */
  static async join(
    wsUrl: string,
    room: string,
    shape: MediaShape,
    address: string,
    publish: boolean,
    drain = false,
  ): Promise<ConclaveBot> {
    const ws = new WebSocket(wsUrl);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const bot = new ConclaveBot(ws, shape, address, publish, drain);
    const joined = new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as ServerMessage;
        if (m.type === 'joined') {
          bot.id = m.self.id;
          resolve();
        } else if (m.type === 'error') reject(new Error(`conclave: ${m.code}`));
        bot.#queue = bot.#queue.then(() => bot.#onMessage(m)).catch(() => {});
      });
    });
    bot.#send({ type: 'hello', versions: [1] });
    bot.#send({ type: 'join', room });
    await joined;
    return bot;
  }

  receivedStreams(): { ssrc: number; publisher: string; kind: Kind }[] {
    return this.#peers.flatMap((peer) =>
      peer.sink.streams().flatMap(({ ssrc, mid, kind }) => {
        const publisher = this.#publisherByMid.get(mid);
        return publisher ? [{ ssrc, publisher, kind }] : [];
      }),
    );
  }

  connected(): boolean {
    return this.#peers.some((peer) => peer.connected());
  }

  counters() {
    return mergeCounters(this.#peers.map((peer) => peer.sink.take()));
  }

  close(): void {
    this.#closed = true;
    for (const peer of this.#peers) peer.close();
    this.#ws.close();
  }

  #send(m: ClientMessage): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(m));
  }

  async #onMessage(m: ServerMessage): Promise<void> {
    if (this.#closed) return;
    // Joining a meeting already in SFU mode, the first offer follows `joined` without a `mediaMode`;
    // a `mediaMode: sfu` is a first session or the server replacing one that failed.
    if ((m.type === 'joined' || m.type === 'mediaMode') && m.mode === 'sfu') {
      this.#peer?.close();
      this.#peer = new SyntheticPeer(
        this.shape,
        this.address,
        (candidate, sdpMid) => this.#send({ type: 'mediaSignal', candidate: { candidate, sdpMid } }),
        this.drain,
      );
      this.#peers.push(this.#peer);
      return;
    }
    if (m.type !== 'mediaSignal' || !this.#peer) return;
    if (m.candidate) this.#peer.addCandidate(m.candidate.candidate, m.candidate.sdpMid ?? 'pa');
    if (m.description?.type !== 'offer') return;
    for (const [mid, publisher] of msidByMid(m.description.sdp)) this.#publisherByMid.set(mid, publisher);
    const s = this.sources;
    const publish: Record<string, Published> = s
      ? { pa: { kind: 'audio', ssrc: s.audio }, pv: { kind: 'video', ssrc: s.video } }
      : {};
    const answer = await this.#peer.answer(m.description.sdp, publish);
    const sdp = answerPublishing(answer, s ? { pa: s.audio, pv: s.video } : {});
    this.#send({ type: 'mediaSignal', description: { type: 'answer', sdp } });
  }
}
