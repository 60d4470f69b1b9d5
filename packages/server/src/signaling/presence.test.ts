import type { ClientMessage } from '@conclave/protocol';
import { startTestServer, TestClient, type TestServer } from '@conclave/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { REACTION_BURST } from '../rooms/Presence.js';

/*
 * Raise hand, reactions and ending a meeting for everyone, over the real signalling server
 * (issue 14): queue order, who may lower whose hand, the reaction limit, and that all of it dies
 * with the meeting and never reaches the log (PRIVACY P1, P6, P7).
 */

let server: TestServer;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

async function join(room: string, extra: Partial<Extract<ClientMessage, { type: 'join' }>> = {}) {
  const client = await TestClient.connect(server);
  clients.push(client);
  client.send({ type: 'join', room, ...extra });
  const joined = await client.next('joined');
  return { client, joined, id: joined.self.id };
}

const ROOM = 'AmberHeronsWadeSlowly';

describe('raise hand', () => {
  it('keeps an ordered queue that everyone sees; a newcomer is told it after joining', async () => {
    server = await startTestServer();
    const mod = await join(ROOM);
    const a = await join(ROOM);
    const b = await join(ROOM);
    b.client.send({ type: 'raiseHand' });
    expect(await mod.client.next('hands')).toEqual({
      type: 'hands',
      queue: [b.id],
      change: { id: b.id, raised: true, by: b.id },
    });
    a.client.send({ type: 'raiseHand' });
    for (const c of [mod, a, b]) {
      if (c !== mod) await c.client.next('hands');
      expect((await c.client.next('hands')).queue).toEqual([b.id, a.id]);
    }
    const late = await join(ROOM);
    expect(late.client.messages[0]).toEqual({ type: 'hands', queue: [b.id, a.id] });
  });

  it('a moderator lowers anyone’s hand; a participant only their own (NOT_MODERATOR)', async () => {
    server = await startTestServer();
    const mod = await join(ROOM);
    const a = await join(ROOM);
    const b = await join(ROOM);
    a.client.send({ type: 'raiseHand' });
    await b.client.next('hands');
    b.client.send({ type: 'lowerHand', id: a.id });
    expect(await b.client.next('error')).toMatchObject({ code: 'NOT_MODERATOR', inReplyTo: 'lowerHand' });
    mod.client.send({ type: 'lowerHand', id: a.id });
    expect(await a.client.nextOf(['hands'])).toMatchObject({ queue: [a.id] });
    expect(await a.client.next('hands')).toEqual({
      type: 'hands',
      queue: [],
      change: { id: a.id, raised: false, by: mod.id },
    });
    b.client.send({ type: 'raiseHand' });
    await a.client.next('hands');
    b.client.send({ type: 'lowerHand' });
    expect((await a.client.next('hands')).change).toEqual({ id: b.id, raised: false, by: b.id });
  });

  it('P1 P6 P7: the queue dies with the meeting and never reaches the log', async () => {
    server = await startTestServer();
    const a = await join(ROOM);
    const b = await join(ROOM);
    a.client.send({ type: 'raiseHand' });
    b.client.send({ type: 'raiseHand' });
    for (const c of [a, b]) {
      await c.client.next('hands');
      expect((await c.client.next('hands')).queue).toEqual([a.id, b.id]);
    }
    b.client.send({ type: 'react', emoji: '🎉' });
    await a.client.next('reaction');
    // A leaver's hand comes down for the others.
    b.client.send({ type: 'leave' });
    await b.client.next('left');
    expect((await a.client.next('hands')).queue).toEqual([a.id]);
    a.client.send({ type: 'leave' });
    await a.client.next('left');
    expect(server.rooms.roomCount).toBe(0);

    const fresh = await join(ROOM);
    expect(fresh.joined.meetingId).not.toBe(a.joined.meetingId);
    const second = await join(ROOM);
    await fresh.client.next('participantJoined');
    for (const c of [fresh, second]) expect(c.client.received.some((m) => m.type === 'hands')).toBe(false);
    const logs = server.logs.join('');
    for (const secret of [a.id, b.id, '🎉', '\\ud83c\\udf89', 'raiseHand', 'hands']) {
      expect(logs, secret).not.toContain(secret);
    }
  });
});

describe('reactions', () => {
  it('reach everyone, sender included, and are rate-limited with a clear error', async () => {
    server = await startTestServer({ limits: { messagesPerSecond: 1000, messageBurst: 1000 } });
    const a = await join(ROOM);
    const b = await join(ROOM);
    a.client.send({ type: 'react', emoji: '👍' });
    expect(await b.client.next('reaction')).toEqual({ type: 'reaction', from: a.id, emoji: '👍' });
    expect(await a.client.next('reaction')).toEqual({ type: 'reaction', from: a.id, emoji: '👍' });
    for (let i = 0; i < REACTION_BURST; i++) a.client.send({ type: 'react', emoji: '👏' });
    const error = await a.client.next('error');
    expect(error).toMatchObject({ code: 'REACTION_RATE_LIMITED', inReplyTo: 'react' });
    expect(error.message).toMatch(/too fast/);
    a.client.send({ type: 'react', emoji: 'not one of ours' } as unknown as ClientMessage);
    expect(await a.client.next('error')).toMatchObject({ code: 'BAD_FRAME' });
  });
});

describe('end meeting for all', () => {
  it('only a moderator can; everyone is told, the room is gone and a rejoin starts a new meeting', async () => {
    server = await startTestServer();
    const mod = await join(ROOM);
    const a = await join(ROOM);
    a.client.send({ type: 'raiseHand' });
    await mod.client.next('hands');
    await a.client.next('hands');
    a.client.send({ type: 'endMeeting' });
    expect(await a.client.next('error')).toMatchObject({ code: 'NOT_MODERATOR', inReplyTo: 'endMeeting' });
    expect(server.rooms.roomCount).toBe(1);

    mod.client.send({ type: 'endMeeting' });
    for (const c of [mod, a])
      expect(await c.client.next('meetingEnded')).toEqual({ type: 'meetingEnded', by: mod.id });
    expect(server.rooms.roomCount).toBe(0);
    // The connections are back to before `join`: in-meeting messages are refused, a join works.
    a.client.send({ type: 'raiseHand' });
    expect(await a.client.next('error')).toMatchObject({ code: 'NOT_JOINED' });
    a.client.send({ type: 'join', room: ROOM });
    const again = await a.client.next('joined');
    expect(again.meetingId).not.toBe(mod.joined.meetingId);
    expect(again.self.role).toBe('moderator');
    expect(a.client.messages.some((m) => m.type === 'hands')).toBe(false);
    expect(server.logs.join('')).toContain('room.ended_for_all');
  });
});
