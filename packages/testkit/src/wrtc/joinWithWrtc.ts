import type { ServerMessage, ServerMessageOf } from '@conclave/protocol';
import { type HasWsUrl, TestClient } from '../server/TestClient.js';
import { type PeerOptions, WrtcPeer } from './WrtcPeer.js';

/**
 * A participant whose media follows the engine's offers: a @roamhq/wrtc stand-in for the web
 * client. Like the client, it starts a new PeerConnection for every SFU session the server opens
 * for it (`mediaMode: sfu` — also when the server replaces a session that failed or fell back to
 * one layer), so `peer` is the current one.
 */
export interface WrtcParticipant {
  client: TestClient;
  joined: ServerMessageOf<'joined'>;
  /** The peer of its current SFU session. */
  readonly peer: WrtcPeer;
  /** Stops answering the engine (the peer stays open), as a client gone astray would. */
  stop(): void;
  close(): void;
}

export interface JoinOptions {
  /** Options for its peers (what they publish, whether they report simulcast layers, …). */
  peer?: Omit<PeerOptions, 'send'>;
}

/** Joins `room` over the real signalling server and publishes fake audio and video in SFU mode. */
export async function joinWithWrtc(
  server: HasWsUrl,
  room: string,
  options: JoinOptions = {},
): Promise<WrtcParticipant> {
  const { client, joined } = await TestClient.join(server, room);
  const newPeer = () =>
    new WrtcPeer({
      publish: {},
      ...options.peer,
      send: (signal) => client.send({ type: 'mediaSignal', ...signal }),
    });
  let peer = newPeer();
  /** Whether `peer` has taken an offer: a session began on it, and the next one needs a new peer. */
  let used = false;
  let stopped = false;
  // In arrival order: a new session's `mediaMode` comes before its offer, after the old one's signals.
  let queue = Promise.resolve();
  const handle = async (m: ServerMessageOf<'mediaSignal'> | ServerMessageOf<'mediaMode'>) => {
    if (stopped) return;
    if (m.type === 'mediaMode') {
      // The offer of the new session follows; the old peer talks to a closed one.
      if (m.mode === 'sfu' && used) {
        peer.close();
        peer = newPeer();
        used = false;
      }
      return;
    }
    if (m.description) used = true;
    await peer.signal(m).catch(() => {});
  };
  const take = (m: ServerMessage) => {
    if (stopped || (m.type !== 'mediaSignal' && m.type !== 'mediaMode')) return;
    // Its signals are the stand-in's business; `mediaMode` stays for the test to read.
    if (m.type === 'mediaSignal') client.discard(m);
    queue = queue.then(() => handle(m));
  };
  // What arrived with `joined` (one read may carry several frames), then everything after it.
  for (const m of [...client.messages]) take(m);
  const stopListening = client.onMessage(take);
  return {
    client,
    joined,
    get peer() {
      return peer;
    },
    stop: () => {
      stopped = true;
      stopListening();
    },
    close: () => {
      stopped = true;
      stopListening();
      peer.close();
      client.close();
    },
  };
}
