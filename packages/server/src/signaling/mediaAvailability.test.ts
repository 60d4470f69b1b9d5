import type { ClientMessage } from '@conclave/protocol';
import { startTestServer, TestClient, type TestServer } from '@conclave/testkit';
import { afterEach, describe, expect, it } from 'vitest';

/*
 * A participant whose media cannot come up (issue 17, finding 12): a browser without WebRTC, or a
 * media path that failed. The others are told, and a two-person meeting does not wait forever for a
 * P2P call that cannot happen.
 */

let server: TestServer;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

const ROOM = 'MediaAvailabilityRoom';

async function join(extra: Partial<Extract<ClientMessage, { type: 'join' }>> = {}) {
  const client = await TestClient.connect(server);
  clients.push(client);
  client.send({ type: 'join', room: ROOM, ...extra });
  const joined = await client.next('joined');
  return { client, joined, id: joined.self.id };
}

describe('participants without a media path', () => {
  it('a browser without WebRTC gets no media path, the 1:1 does not start P2P, and the other is told', async () => {
    server = await startTestServer();
    const a = await join();
    const b = await join({ media: false });
    expect(b.joined.mode).toBe('none');
    expect(b.joined.self.media).toBe('unsupported');
    expect((await a.client.next('participantJoined')).participant).toMatchObject({
      id: b.id,
      media: 'unsupported',
    });
    // A third person who can connect: the call is between the two who can.
    const c = await join();
    const [toA, toC] = [await a.client.next('mediaMode'), await c.client.next('mediaMode')];
    expect(toA).toMatchObject({ mode: 'p2p', peer: { id: c.id } });
    expect(toC).toMatchObject({ mode: 'p2p', peer: { id: a.id } });
    b.client.send({ type: 'getSpeakerStats' });
    await b.client.next('speakerStats');
    expect(a.client.received.filter((m) => m.type === 'mediaMode')).toHaveLength(1);
    expect(b.client.received.some((m) => m.type === 'mediaMode')).toBe(false);
    // It reports nothing about a path it never had.
    b.client.send({ type: 'mediaStatus', connected: false });
    b.client.send({ type: 'getSpeakerStats' });
    await b.client.next('speakerStats');
    expect(a.client.received.filter((m) => m.type === 'participantUpdated')).toEqual([]);
  });

  it('a P2P call that could not connect moves to the SFU; the others see who failed, then that it recovered', async () => {
    server = await startTestServer();
    const a = await join();
    const b = await join();
    expect(await a.client.next('mediaMode')).toMatchObject({ mode: 'p2p' });
    await b.client.next('mediaMode');
    b.client.send({ type: 'mediaStatus', connected: false });
    expect((await a.client.next('participantUpdated')).participant).toMatchObject({
      id: b.id,
      media: 'failed',
    });
    expect(await a.client.next('mediaMode')).toEqual({ type: 'mediaMode', mode: 'sfu' });
    expect(await b.client.next('mediaMode')).toEqual({ type: 'mediaMode', mode: 'sfu' });
    b.client.send({ type: 'mediaStatus', connected: true });
    expect((await a.client.next('participantUpdated')).participant).toMatchObject({
      id: b.id,
      media: 'available',
    });
  });

  it('without an SFU the failed call stays P2P, and the others are still told', async () => {
    server = await startTestServer({ media: { enabled: false } });
    const a = await join();
    const b = await join();
    await a.client.next('mediaMode');
    b.client.send({ type: 'mediaStatus', connected: false });
    expect((await a.client.next('participantUpdated')).participant).toMatchObject({
      id: b.id,
      media: 'failed',
    });
    a.client.send({ type: 'getSpeakerStats' });
    await a.client.next('speakerStats');
    expect(a.client.messages.some((m) => m.type === 'mediaMode')).toBe(false);
  });
});
