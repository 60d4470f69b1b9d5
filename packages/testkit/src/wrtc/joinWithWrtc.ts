import type { ServerMessageOf } from '@conclave/protocol';
import { type HasWsUrl, TestClient } from '../server/TestClient.js';
import { WrtcPeer } from './WrtcPeer.js';

/** A participant whose media follows the engine's offers: a @roamhq/wrtc stand-in for the web client. */
export interface WrtcParticipant {
  client: TestClient;
  joined: ServerMessageOf<'joined'>;
  peer: WrtcPeer;
  /** Stops answering the engine (the peer stays open), as a client gone astray would. */
  stop(): void;
  close(): void;
}

/** Joins `room` over the real signalling server and publishes fake audio and video in SFU mode. */
export async function joinWithWrtc(server: HasWsUrl, room: string): Promise<WrtcParticipant> {
  const { client, joined } = await TestClient.join(server, room);
  const peer = new WrtcPeer({
    publish: {},
    send: (signal) => client.send({ type: 'mediaSignal', ...signal }),
  });
  let stopped = false;
  void (async () => {
    while (!stopped && client.closeCode === undefined) {
      const m = await client.next('mediaSignal', 60_000).catch(() => undefined);
      if (m) await peer.signal(m).catch(() => {});
    }
  })();
  return {
    client,
    joined,
    peer,
    stop: () => {
      stopped = true;
    },
    close: () => {
      peer.close();
      client.close();
    },
  };
}
