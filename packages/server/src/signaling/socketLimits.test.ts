import { startTestServer, TestClient, type TestServer } from '@conclave/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

/*
 * What a socket may cost the server before it has said `hello` (issue 17, finding 1): the WebSocket
 * library's own frame limit is the protocol's, a silent socket is closed after a few seconds, and one
 * address may hold only so many sockets.
 */

let server: TestServer;
const sockets: WebSocket[] = [];
const clients: TestClient[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

function open(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function closeCode(socket: WebSocket, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket stayed open')), timeoutMs);
    socket.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('memory before hello', () => {
  it('closes a socket (1009) whose fragmented message grows past limits.maxMessageBytes, before it ends', async () => {
    server = await startTestServer({ limits: { maxMessageBytes: 8192 } });
    const socket = await open(server.wsUrl);
    const closed = closeCode(socket);
    socket.on('error', () => {});
    // 64 fragments of 1 KiB and never the final one: the library must not buffer them all.
    const chunk = Buffer.alloc(1024, 0x61);
    for (let i = 0; i < 64 && socket.readyState === socket.OPEN; i++) socket.send(chunk, { fin: false });
    expect(await closed).toBe(1009);
  });

  it('closes a socket that does not say hello within signaling.helloTimeoutSeconds (4011)', async () => {
    server = await startTestServer({ signaling: { helloTimeoutSeconds: 1, heartbeatSeconds: 1 } });
    const greeted = await TestClient.connect(server);
    clients.push(greeted);
    const silent = await open(server.wsUrl);
    expect(await closeCode(silent, 4000)).toBe(4011);
    // The greeted socket is unaffected, also after the deadline.
    greeted.send({ type: 'join', room: 'GreetedSocketStaysOpen' });
    await greeted.next('joined');
    expect(greeted.closeCode).toBeUndefined();
  });

  it('refuses more than limits.socketsPerAddress sockets from one address (429), and frees a slot on close', async () => {
    server = await startTestServer({ limits: { socketsPerAddress: 3 } });
    const held = [await open(server.wsUrl), await open(server.wsUrl), await open(server.wsUrl)];
    await expect(open(server.wsUrl)).rejects.toThrow(/429/);
    const gone = closeCode(held[0] as WebSocket);
    held[0]?.close();
    await gone;
    // The server counts the slot free once it saw the close; allow it a moment.
    let reopened: WebSocket | undefined;
    for (let i = 0; i < 20 && !reopened; i++) {
      reopened = await open(server.wsUrl).catch(() => undefined);
      if (!reopened) await new Promise((r) => setTimeout(r, 50));
    }
    expect(reopened?.readyState).toBe(WebSocket.OPEN);
  });
});
