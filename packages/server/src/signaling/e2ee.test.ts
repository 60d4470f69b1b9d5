import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, TestClient, type TestServer } from '../testing/harness.js';

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
