import { startTestServer, TestClient, type TestServer } from '@conclave/testkit';
import { afterEach, describe, expect, it } from 'vitest';

let server: TestServer;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

describe('end-to-end encryption announcements', () => {
  it('P11: participants announce E2EE (never a key); everyone sees it and the room knows E2EE is active', async () => {
    server = await startTestServer();
    const a = await TestClient.join(server, 'VioletMothsHumSoftly');
    const b = await TestClient.join(server, 'VioletMothsHumSoftly');
    clients.push(a.client, b.client);
    expect(a.joined.self).toMatchObject({ e2ee: false, e2eeIndex: 1 });
    expect(b.joined.self).toMatchObject({ e2ee: false, e2eeIndex: 2 });
    const room = [...server.rooms.rooms()][0];
    expect(room?.e2eeActive).toBe(false);

    a.client.send({ type: 'setE2EE', enabled: true });
    expect((await b.client.next('participantUpdated')).participant).toMatchObject({
      id: a.joined.self.id,
      e2ee: true,
    });
    expect(room?.e2eeActive).toBe(true);
    a.client.send({ type: 'setE2EE', enabled: false });
    await b.client.next('participantUpdated');
    expect(room?.e2eeActive).toBe(false);
  });

  it('P11: a browser that declares no E2EE support is shown as such to everyone and cannot turn E2EE on; others still can', async () => {
    server = await startTestServer();
    const room = 'AmberFinchesReadQuietly';
    const a = await TestClient.join(server, room);
    clients.push(a.client);
    // `a` sent no e2eeSupported (an older client): it counts as supported.
    expect(a.joined.self).toMatchObject({ e2ee: false, e2eeSupported: true });

    const b = await TestClient.connect(server);
    clients.push(b);
    b.send({ type: 'join', room, e2eeSupported: false });
    const bJoined = await b.next('joined');
    expect(bJoined.self.e2eeSupported).toBe(false);
    expect(bJoined.participants).toMatchObject([{ id: a.joined.self.id, e2eeSupported: true }]);
    expect((await a.client.next('participantJoined')).participant).toMatchObject({
      id: bJoined.self.id,
      e2eeSupported: false,
      e2ee: false,
    });

    // `b` contradicting its own declaration is refused, and nobody hears of it.
    b.send({ type: 'setE2EE', enabled: true });
    expect(await b.next('error')).toMatchObject({ code: 'E2EE_UNSUPPORTED', inReplyTo: 'setE2EE' });
    const meeting = [...server.rooms.rooms()][0];
    expect(meeting?.e2eeActive).toBe(false);
    // Turning it off is what it already is: no error.
    b.send({ type: 'setE2EE', enabled: false });

    // `a` may still turn E2EE on with `b` present; `b` sees it (and will show the warning).
    a.client.send({ type: 'setE2EE', enabled: true });
    expect((await b.next('participantUpdated')).participant).toMatchObject({
      id: a.joined.self.id,
      e2ee: true,
      e2eeSupported: true,
    });
    expect(meeting?.e2eeActive).toBe(true);
    // The participantUpdated `a` sees is its own, so `b`'s refused attempt was never broadcast.
    expect((await a.client.next('participantUpdated')).participant.id).toBe(a.joined.self.id);
    expect(a.client.messages.filter((m) => m.type === 'participantUpdated')).toEqual([]);
    expect(b.messages.filter((m) => m.type === 'error')).toEqual([]);
  });

  it('validates join.e2eeSupported by the schema', async () => {
    server = await startTestServer();
    const c = await TestClient.connect(server);
    clients.push(c);
    c.sendRaw(JSON.stringify({ type: 'join', room: 'AmberFinchesReadQuietly', e2eeSupported: 'no' }));
    const error = await c.next('error');
    expect(error).toMatchObject({ code: 'BAD_FRAME', inReplyTo: 'join' });
    expect(error.message).toMatch(/e2eeSupported/);
  });

  it('never reuses an e2eeIndex within a meeting, so sender key ids stay unique', async () => {
    server = await startTestServer();
    const a = await TestClient.join(server, 'VioletMothsHumSoftly');
    const b = await TestClient.join(server, 'VioletMothsHumSoftly');
    clients.push(a.client);
    b.client.close();
    await a.client.next('participantLeft');
    const c = await TestClient.join(server, 'VioletMothsHumSoftly');
    clients.push(c.client);
    expect(c.joined.self.e2eeIndex).toBe(3);
  });
});
