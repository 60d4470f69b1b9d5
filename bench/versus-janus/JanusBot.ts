import { type Bot, mergeCounters } from './Bot.js';
import { JanusSession } from './JanusSession.js';
import { JANUS_ROOM } from './janusConfig.js';
import { type Kind, type MediaShape, randomSsrc } from './rtp.js';
import { SyntheticPeer } from './SyntheticPeer.js';
import { withoutExtensionsAndRtx } from './sdp.js';

/*
 * A bot in a Janus VideoRoom, through Janus's own API (WebSocket, `janus-protocol`): one session;
 * a publisher handle that joins as `publisher` and offers its audio and video with `publish`; a
 * subscriber handle that joins as `subscriber` with the feeds it wants (Janus 1.x `streams`),
 * answers Janus's offer and sends `start`. Two PeerConnections when it does both, as Janus's own
 * clients have.
 */

const VIDEOROOM = 'janus.plugin.videoroom';

export class JanusBot implements Bot {
  id = '';
  sources: Record<Kind, number> | undefined;
  readonly #session: JanusSession;
  readonly #peers: SyntheticPeer[] = [];
  readonly #publisherByMid = new Map<string, string>();

  private constructor(
    session: JanusSession,
    private readonly shape: MediaShape,
    private readonly address: string,
    readonly drain: boolean,
  ) {
    this.#session = session;
  }

  /** A session with no handle yet; media binds `address`; `drain`: see SyntheticPeer. */
  static async connect(wsUrl: string, shape: MediaShape, address: string, drain = false): Promise<JanusBot> {
    return new JanusBot(await JanusSession.open(wsUrl), shape, address, drain);
  }

  /** Joins as a publisher and publishes one Opus and one VP8 stream. */
  async publish(): Promise<void> {
    const handle = await this.#session.attach(VIDEOROOM);
    const joined = await this.#session.message(handle, {
      request: 'join',
      ptype: 'publisher',
      room: JANUS_ROOM,
    });
    this.id = String(joined.plugindata?.data.id);
    this.sources = { audio: randomSsrc(), video: randomSsrc() };
    const peer = this.#peer(handle);
    const offer = await peer.offer(this.sources);
    const reply = await this.#session.message(
      handle,
      { request: 'publish', audio: true, video: true },
      { type: 'offer', sdp: offer },
    );
    if (reply.jsep?.type !== 'answer') throw new Error('janus: publish without an answer');
    peer.applyAnswer(reply.jsep.sdp);
    // Janus lists a feed for subscribers only once its PeerConnection is up.
    await this.#session.webrtcUp(handle);
  }

  /** Subscribes to every stream of `feeds` on one PeerConnection. */
  async subscribe(feeds: string[]): Promise<void> {
    const handle = await this.#session.attach(VIDEOROOM);
    const attached = await this.#session.message(handle, {
      request: 'join',
      ptype: 'subscriber',
      room: JANUS_ROOM,
      streams: feeds.map((feed) => ({ feed: Number(feed) })),
    });
    if (attached.jsep?.type !== 'offer') throw new Error('janus: subscription without an offer');
    const streams = (attached.plugindata?.data.streams ?? []) as { mid: string; feed_id: number }[];
    for (const s of streams) this.#publisherByMid.set(s.mid, String(s.feed_id));
    const peer = this.#peer(handle);
    const answer = await peer.answer(withoutExtensionsAndRtx(attached.jsep.sdp));
    await this.#session.message(
      handle,
      { request: 'start', room: JANUS_ROOM },
      { type: 'answer', sdp: answer },
    );
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
    for (const peer of this.#peers) peer.close();
    this.#session.close();
  }

  #peer(handle: number): SyntheticPeer {
    // Janus puts its own candidates in its SDP (half-trickle); ours trickle.
    const peer = new SyntheticPeer(
      this.shape,
      this.address,
      (candidate, sdpMid) => this.#session.trickle(handle, { candidate, sdpMid }),
      this.drain,
    );
    this.#peers.push(peer);
    return peer;
  }
}
