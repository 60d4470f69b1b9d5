import type { ServerMessage } from '@conclave/protocol';
import { startTestServer, TestClient, type TestServer } from '@conclave/testkit';
import { afterEach, describe, expect, it } from 'vitest';

/*
 * The server's screen-sharing rule (issue 13): one presenter at a time unless a moderator allows
 * more; turning that off again leaves only the earliest presenter; a share ends with its sharer.
 */

let server: TestServer;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

async function join(room: string) {
  const client = await TestClient.connect(server);
  clients.push(client);
  client.send({ type: 'join', room });
  const joined = await client.next('joined');
  return { client, id: joined.self.id, joined };
}

/**
 * The next `participantUpdated` about `id` that says `sharing` (others are consumed on the way: a
 * role change, or the share's start before its end).
 */
async function updateOf(client: TestClient, id: string, sharing = true) {
  for (;;) {
    const update = await client.next('participantUpdated');
    if (update.participant.id === id && update.participant.screenSharing === sharing)
      return update.participant;
  }
}

const ROOM = 'TangerineHeronsWadeSlowly';

describe('screen sharing: the one-presenter rule', () => {
  it('a second presenter is refused with SCREEN_SHARE_BUSY until the first stops; everyone sees who presents', async () => {
    server = await startTestServer();
    const ann = await join(ROOM);
    const ben = await join(ROOM);
    const cyd = await join(ROOM);
    expect(ben.joined.self.screenSharing).toBe(false);
    expect(ben.joined.room.multipleScreenShares).toBe(false);

    ann.client.send({ type: 'setScreenShare', sharing: true });
    for (const c of [ann, ben, cyd]) await updateOf(c.client, ann.id);

    ben.client.send({ type: 'setScreenShare', sharing: true });
    expect(await ben.client.next('error')).toMatchObject({
      code: 'SCREEN_SHARE_BUSY',
      inReplyTo: 'setScreenShare',
    });
    // Nobody heard of a share by Ben.
    await new Promise((r) => setTimeout(r, 100));
    for (const c of [ann, ben, cyd])
      expect(
        c.client.received.some(
          (m: ServerMessage) =>
            m.type === 'participantUpdated' && m.participant.id === ben.id && m.participant.screenSharing,
        ),
      ).toBe(false);

    // A newcomer learns who presents from `joined`.
    const dan = await join(ROOM);
    expect(dan.joined.participants.find((p) => p.id === ann.id)?.screenSharing).toBe(true);

    ann.client.send({ type: 'setScreenShare', sharing: false });
    await updateOf(ben.client, ann.id, false);
    ben.client.send({ type: 'setScreenShare', sharing: true });
    expect((await updateOf(cyd.client, ben.id)).screenSharing).toBe(true);
  });

  it('the presenter leaving frees the stage', async () => {
    server = await startTestServer();
    const ann = await join(ROOM);
    const ben = await join(ROOM);
    const cyd = await join(ROOM);
    ann.client.send({ type: 'setScreenShare', sharing: true });
    await updateOf(ben.client, ann.id);
    ann.client.close();
    await ben.client.next('participantLeft');
    ben.client.send({ type: 'setScreenShare', sharing: true });
    expect((await updateOf(cyd.client, ben.id)).screenSharing).toBe(true);
  });

  it('only a moderator allows several presenters; turning it off leaves the earliest presenting', async () => {
    server = await startTestServer();
    const mod = await join(ROOM);
    const ben = await join(ROOM);
    const cyd = await join(ROOM);

    ben.client.send({ type: 'setMultipleScreenShares', allowed: true });
    expect(await ben.client.next('error')).toMatchObject({
      code: 'NOT_MODERATOR',
      inReplyTo: 'setMultipleScreenShares',
    });

    mod.client.send({ type: 'setMultipleScreenShares', allowed: true });
    for (const c of [mod, ben, cyd])
      expect((await c.client.next('roomUpdated')).room.multipleScreenShares).toBe(true);
    ben.client.send({ type: 'setScreenShare', sharing: true });
    expect((await updateOf(mod.client, ben.id)).screenSharing).toBe(true);
    cyd.client.send({ type: 'setScreenShare', sharing: true });
    expect((await updateOf(mod.client, cyd.id)).screenSharing).toBe(true);

    mod.client.send({ type: 'setMultipleScreenShares', allowed: false });
    expect((await mod.client.next('roomUpdated')).room.multipleScreenShares).toBe(false);
    // Cyd started later: her share ends, and she hears it like everyone else; Ben's goes on.
    await updateOf(cyd.client, cyd.id, false);
    await updateOf(mod.client, cyd.id, false);
    await new Promise((r) => setTimeout(r, 100));
    const benStopped = (m: ServerMessage) =>
      m.type === 'participantUpdated' && m.participant.id === ben.id && m.participant.screenSharing === false;
    expect(mod.client.received.some(benStopped)).toBe(false);
    mod.client.send({ type: 'setScreenShare', sharing: true });
    expect(await mod.client.next('error')).toMatchObject({ code: 'SCREEN_SHARE_BUSY' });
  });
});
