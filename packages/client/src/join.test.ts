import { startTestServer, type TestServer } from '@conclave/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Conference } from './Conference.js';
import { signalingUrl } from './join.js';
import { SignalingClient, type WebSocketConstructor } from './signaling/SignalingClient.js';

/*
 * Joining on a signalling connection opened beforehand (JoinOptions.connection: the pre-join screen
 * opens one while the camera preview runs), against the real server, over real sockets that record
 * what they carry (Node has no WebRTC here: these participants join chat-only).
 */

let server: TestServer;
const conferences: Conference[] = [];

afterEach(async () => {
  for (const c of conferences.splice(0)) await c.leave();
  await server?.close();
});

/** Every socket made, and the type of every message sent on it, in order. */
function recordingSockets() {
  const sockets: { socket: WebSocket; sent: string[] }[] = [];
  class Recording extends WebSocket {
    readonly #sent: string[] = [];
    constructor(url: string) {
      super(url);
      sockets.push({ socket: this, sent: this.#sent });
    }
    override send(data: string): void {
      this.#sent.push((JSON.parse(data) as { type: string }).type);
      super.send(data);
    }
  }
  return { sockets, Impl: Recording as unknown as WebSocketConstructor };
}

async function join(connection: Promise<SignalingClient>, Impl: WebSocketConstructor): Promise<Conference> {
  const c = await Conference.join({
    serverUrl: server.url,
    room: 'EarlyFinchesGreetTheDawn',
    displayName: 'Ann',
    connection,
    WebSocket: Impl,
  });
  conferences.push(c);
  return c;
}

describe('joining on a connection opened beforehand', () => {
  it('sends `join` on it: no second socket, no second `hello`', async () => {
    server = await startTestServer();
    const { sockets, Impl } = recordingSockets();
    const early = SignalingClient.connect(signalingUrl(server.url), Impl);
    await early;
    const c = await join(early, Impl);
    expect(c.self.id).toBeTruthy();
    expect(sockets.map((s) => s.sent)).toEqual([['hello', 'join']]);
  });

  it('one that closed before the join: the join opens a new connection', async () => {
    server = await startTestServer();
    const { sockets, Impl } = recordingSockets();
    const early = SignalingClient.connect(signalingUrl(server.url), Impl);
    (await early).close();
    const c = await join(early, Impl);
    expect(c.self.id).toBeTruthy();
    expect(sockets.map((s) => s.sent)).toEqual([['hello'], ['hello', 'join']]);
  });

  it('one that died unnoticed (its close not seen yet): the join goes again on a new connection', async () => {
    server = await startTestServer();
    const { sockets, Impl } = recordingSockets();
    const early = SignalingClient.connect(signalingUrl(server.url), Impl);
    await early;
    // Torn down under the client, which learns of it only after the join has gone out.
    sockets[0]?.socket.terminate();
    const c = await join(early, Impl);
    expect(c.self.id).toBeTruthy();
    expect(sockets).toHaveLength(2);
    expect(sockets[1]?.sent).toEqual(['hello', 'join']);
  });
});
