import type { ClientMessage } from '@conclave/protocol';
import { startTestServer, TestClient, type TestServer } from '@conclave/testkit';
import { afterEach, describe, expect, it } from 'vitest';

let server: TestServer;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

async function connect() {
  const c = await TestClient.connect(server);
  clients.push(c);
  return c;
}

async function join(room: string, extra: Partial<Extract<ClientMessage, { type: 'join' }>> = {}) {
  const client = await connect();
  client.send({ type: 'join', room, ...extra });
  const joined = await client.next('joined');
  return { client, joined, id: joined.self.id };
}

const ROOM = 'CrimsonKitesSoarQuietly';

describe('meeting password', () => {
  it('P4: lock → wrong password refused → right password admitted; the password is never sent to anyone', async () => {
    server = await startTestServer();
    const mod = await join(ROOM);
    // Someone already in the meeting when it is locked: the lock reaches them, the password must not.
    const present = await join(ROOM);
    mod.client.send({ type: 'setPassword', password: 'SentinelPassw0rd' });
    const locked = {
      type: 'roomUpdated',
      room: { locked: true, lobby: false, recording: false, multipleScreenShares: false },
    };
    expect(await mod.client.next('roomUpdated')).toEqual(locked);
    expect(await present.client.next('roomUpdated')).toEqual(locked);

    const guest = await connect();
    guest.send({ type: 'join', room: ROOM });
    expect(await guest.next('error')).toMatchObject({ code: 'PASSWORD_REQUIRED', inReplyTo: 'join' });
    guest.send({ type: 'join', room: ROOM, password: 'guess' });
    expect(await guest.next('error')).toMatchObject({ code: 'WRONG_PASSWORD' });
    guest.send({ type: 'join', room: ROOM, password: 'SentinelPassw0rd' });
    expect((await guest.next('joined')).room).toEqual({
      locked: true,
      lobby: false,
      recording: false,
      multipleScreenShares: false,
    });
    // Everyone has heard of the newcomer, so everything sent because of it has arrived too.
    await mod.client.next('participantJoined');
    await present.client.next('participantJoined');

    for (const c of [mod.client, present.client, guest]) {
      expect(c.received.length).toBeGreaterThan(2);
      expect(JSON.stringify(c.received)).not.toContain('SentinelPassw0rd');
    }
    expect(server.logs.join('')).not.toContain('SentinelPassw0rd');
  });

  it('P4: the password is gone when the meeting ends — a rejoin under the same name is unlocked and new', async () => {
    server = await startTestServer();
    const mod = await join(ROOM);
    mod.client.send({ type: 'setPassword', password: 'ShortLived' });
    await mod.client.next('roomUpdated');
    mod.client.send({ type: 'leave' });
    await mod.client.next('left');
    const again = await join(ROOM);
    expect(again.joined.room).toEqual({
      locked: false,
      lobby: false,
      recording: false,
      multipleScreenShares: false,
    });
    expect(again.joined.meetingId).not.toBe(mod.joined.meetingId);
    const second = await join(ROOM);
    expect(second.joined.room.locked).toBe(false);
  });

  it('P4: wrong password attempts are rate-limited per client address', async () => {
    server = await startTestServer({ limits: { passwordBurst: 3, passwordAttemptsPerMinute: 1 } });
    const mod = await join(ROOM);
    mod.client.send({ type: 'setPassword', password: 'right' });
    await mod.client.next('roomUpdated');
    const guest = await connect();
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      guest.send({ type: 'join', room: ROOM, password: `wrong${i}` });
      codes.push((await guest.next('error')).code);
    }
    expect(codes).toEqual([
      'WRONG_PASSWORD',
      'WRONG_PASSWORD',
      'WRONG_PASSWORD',
      'PASSWORD_RATE_LIMITED',
      'PASSWORD_RATE_LIMITED',
    ]);
    guest.send({ type: 'join', room: ROOM, password: 'right' });
    expect((await guest.next('error')).code).toBe('PASSWORD_RATE_LIMITED');
  });

  it('refuses password changes from non-moderators', async () => {
    server = await startTestServer();
    await join(ROOM);
    const other = await join(ROOM);
    other.client.send({ type: 'setPassword', password: 'mine' });
    expect(await other.client.next('error')).toMatchObject({
      code: 'NOT_MODERATOR',
      inReplyTo: 'setPassword',
    });
  });
});

describe('lobby', () => {
  it('knock → admit: moderators see the display name, the knocker sees nothing until admitted', async () => {
    server = await startTestServer();
    const mod = await join(ROOM);
    mod.client.send({ type: 'setLobby', enabled: true });
    await mod.client.next('roomUpdated');
    const guest = await connect();
    guest.send({ type: 'join', room: ROOM, displayName: 'Knocking Kim' });
    await guest.next('lobbyWaiting');
    const knock = await mod.client.next('knock');
    expect(knock.knocker.displayName).toBe('Knocking Kim');
    expect(guest.messages).toEqual([]);
    mod.client.send({ type: 'lobbyDecision', id: knock.knocker.id, admit: true });
    const joined = await guest.next('joined');
    expect(joined.participants.map((p) => p.id)).toEqual([mod.id]);
    expect(await mod.client.next('knockResolved')).toMatchObject({ outcome: 'admitted' });
    expect((await mod.client.next('participantJoined')).participant.displayName).toBe('Knocking Kim');
  });

  it('knock → deny, a withdrawn knock, and the password skipping the lobby', async () => {
    server = await startTestServer();
    const mod = await join(ROOM);
    mod.client.send({ type: 'setLobby', enabled: true });
    mod.client.send({ type: 'setPassword', password: 'skip' });
    const denied = await connect();
    denied.send({ type: 'join', room: ROOM });
    await denied.next('lobbyWaiting');
    const knock = await mod.client.next('knock');
    mod.client.send({ type: 'lobbyDecision', id: knock.knocker.id, admit: false });
    expect(await denied.next('error')).toMatchObject({ code: 'LOBBY_DENIED', inReplyTo: 'join' });
    expect(await mod.client.next('knockResolved')).toMatchObject({ outcome: 'denied' });

    const quitter = await connect();
    quitter.send({ type: 'join', room: ROOM });
    await quitter.next('lobbyWaiting');
    const second = await mod.client.next('knock');
    quitter.close();
    expect(await mod.client.next('knockResolved')).toEqual({
      type: 'knockResolved',
      id: second.knocker.id,
      outcome: 'withdrawn',
    });

    const holder = await connect();
    holder.send({ type: 'join', room: ROOM, password: 'skip' });
    await holder.next('joined');
  });

  it('P1: lobby state dies with the room — waiting knockers are told the meeting ended', async () => {
    server = await startTestServer();
    const mod = await join(ROOM);
    mod.client.send({ type: 'setLobby', enabled: true });
    await mod.client.next('roomUpdated');
    const guest = await connect();
    guest.send({ type: 'join', room: ROOM });
    await guest.next('lobbyWaiting');
    mod.client.send({ type: 'leave' });
    expect(await guest.next('error')).toMatchObject({ code: 'MEETING_ENDED' });
    guest.send({ type: 'join', room: ROOM });
    const fresh = await guest.next('joined');
    expect(fresh.room).toEqual({
      locked: false,
      lobby: false,
      recording: false,
      multipleScreenShares: false,
    });
    expect(fresh.self.role).toBe('moderator');
  });

  it('a participant promoted when the last moderator leaves is sent the pending knocks and can decide them', async () => {
    server = await startTestServer();
    const mod = await join(ROOM);
    const b = await join(ROOM);
    mod.client.send({ type: 'setLobby', enabled: true });
    await b.client.next('roomUpdated');
    const guest = await connect();
    guest.send({ type: 'join', room: ROOM, displayName: 'Waiting Wendy' });
    await guest.next('lobbyWaiting');
    await mod.client.next('knock');
    expect(b.client.messages.some((m) => m.type === 'knock')).toBe(false);
    mod.client.send({ type: 'leave' });
    expect((await b.client.next('participantUpdated')).participant).toMatchObject({
      id: b.id,
      role: 'moderator',
    });
    const knock = await b.client.next('knock');
    expect(knock.knocker.displayName).toBe('Waiting Wendy');
    b.client.send({ type: 'lobbyDecision', id: knock.knocker.id, admit: true });
    expect((await guest.next('joined')).participants.map((p) => p.id)).toEqual([b.id]);
  });

  it('puts every new meeting behind a lobby when rooms.lobbyByDefault is on; the first joiner is in', async () => {
    server = await startTestServer({ rooms: { lobbyByDefault: true } });
    const first = await join(ROOM);
    expect(first.joined.room.lobby).toBe(true);
    const guest = await connect();
    guest.send({ type: 'join', room: ROOM });
    await guest.next('lobbyWaiting');
  });
});

describe('moderation', () => {
  it('kick removes the participant, tells the others, and lets the kicked connection join again later', async () => {
    server = await startTestServer();
    const mod = await join(ROOM);
    const target = await join(ROOM);
    mod.client.send({ type: 'kick', id: target.id });
    expect(await target.client.next('removed')).toEqual({ type: 'removed', reason: 'kicked', by: mod.id });
    expect(await mod.client.next('participantLeft')).toEqual({
      type: 'participantLeft',
      id: target.id,
      reason: 'kicked',
    });
    target.client.send({ type: 'chat', body: { kind: 'text', text: 'still here?' } });
    expect(await target.client.next('error')).toMatchObject({ code: 'NOT_JOINED' });
  });

  it('ask to mute, mute everyone and grant moderator; every action is checked on the server', async () => {
    server = await startTestServer();
    const mod = await join(ROOM);
    const b = await join(ROOM);
    b.client.send({ type: 'kick', id: mod.id });
    b.client.send({ type: 'muteAll' });
    b.client.send({ type: 'grantModerator', id: b.id });
    b.client.send({ type: 'setLobby', enabled: true });
    for (const inReplyTo of ['kick', 'muteAll', 'grantModerator', 'setLobby']) {
      expect(await b.client.next('error')).toMatchObject({ code: 'NOT_MODERATOR', inReplyTo });
    }
    mod.client.send({ type: 'requestMute', id: b.id });
    expect(await b.client.next('muteRequested')).toEqual({ type: 'muteRequested', by: mod.id });
    mod.client.send({ type: 'muteAll' });
    await b.client.next('muteRequested');
    mod.client.send({ type: 'grantModerator', id: b.id });
    expect((await b.client.next('participantUpdated')).participant).toMatchObject({
      id: b.id,
      role: 'moderator',
    });
    mod.client.send({ type: 'kick', id: 'nobody-here' });
    expect(await mod.client.next('error')).toMatchObject({ code: 'UNKNOWN_PARTICIPANT' });
  });
});

describe('chat', () => {
  it('P6: a private message reaches only its addressee and its sender', async () => {
    server = await startTestServer();
    const a = await join(ROOM);
    const b = await join(ROOM);
    // A third participant, who must not receive what a says to b alone.
    const c = await join(ROOM);
    a.client.send({ type: 'chat', to: b.id, body: { kind: 'text', text: 'just for you' } });
    const received = await b.client.next('chatMessage');
    expect(received.message).toMatchObject({
      from: a.id,
      to: b.id,
      body: { kind: 'text', text: 'just for you' },
    });
    expect((await a.client.next('chatMessage')).message.id).toBe(received.message.id);
    a.client.send({ type: 'chat', body: { kind: 'text', text: 'hello all' } });
    expect((await b.client.next('chatMessage')).message.to).toBeUndefined();
    // Messages from one sender reach c in order: the public one is the first chat c ever gets.
    expect((await c.client.next('chatMessage')).message.body).toEqual({ kind: 'text', text: 'hello all' });
    const chats = (client: TestClient) => client.received.filter((m) => m.type === 'chatMessage');
    expect(chats(c.client)).toHaveLength(1);
    expect(JSON.stringify(c.client.received)).not.toContain('just for you');
    expect(chats(a.client)).toHaveLength(2);
    expect(chats(b.client)).toHaveLength(2);
  });

  it('P6: late joiners see no history by default, and the meeting history when the operator allows it', async () => {
    server = await startTestServer();
    const a = await join(ROOM);
    a.client.send({ type: 'chat', body: { kind: 'text', text: 'before you came' } });
    await a.client.next('chatMessage');
    const late = await join(ROOM);
    expect(late.joined.chatHistory).toEqual([]);
    await server.close();

    server = await startTestServer({ chat: { historyForLateJoiners: true } });
    const c = await join(ROOM);
    c.client.send({ type: 'chat', body: { kind: 'text', text: 'before you came' } });
    await c.client.next('chatMessage');
    const d = await join(ROOM);
    expect(d.joined.chatHistory.map((m) => m.body)).toEqual([{ kind: 'text', text: 'before you came' }]);
  });

  it('refuses oversized and flooded chat and messages to people who are not there, without disturbing others', async () => {
    server = await startTestServer({ chat: { maxLength: 10, burst: 2, messagesPerSecond: 0.1 } });
    const a = await join(ROOM);
    const b = await join(ROOM);
    a.client.send({ type: 'chat', body: { kind: 'text', text: 'x'.repeat(11) } });
    expect(await a.client.next('error')).toMatchObject({ code: 'CHAT_TOO_LONG' });
    a.client.send({ type: 'chat', to: 'gone', body: { kind: 'text', text: 'hi' } });
    expect(await a.client.next('error')).toMatchObject({ code: 'UNKNOWN_PARTICIPANT' });
    for (let i = 0; i < 3; i++) a.client.send({ type: 'chat', body: { kind: 'text', text: `m${i}` } });
    expect(await a.client.next('error')).toMatchObject({ code: 'CHAT_RATE_LIMITED' });
    b.client.send({ type: 'chat', body: { kind: 'text', text: 'fine' } });
    expect((await a.client.next('chatMessage')).message.from).toBe(a.id);
  });

  it('relays end-to-end encrypted chat bodies as opaque ciphertext', async () => {
    server = await startTestServer();
    const a = await join(ROOM);
    const b = await join(ROOM);
    a.client.send({ type: 'chat', body: { kind: 'e2ee', ciphertext: 'AAECAwQF' } });
    expect((await b.client.next('chatMessage')).message.body).toEqual({
      kind: 'e2ee',
      ciphertext: 'AAECAwQF',
    });
  });
});

describe('speaker stats', () => {
  it('P6: counts dominant-speaker time from client reports in P2P mode, only while the meeting lasts', async () => {
    server = await startTestServer();
    const a = await join(ROOM);
    const b = await join(ROOM);
    a.client.send({ type: 'speaking', speaking: true });
    expect(await b.client.next('dominantSpeaker')).toEqual({ type: 'dominantSpeaker', id: a.id });
    await new Promise((r) => setTimeout(r, 120));
    a.client.send({ type: 'speaking', speaking: false });
    await b.client.next('dominantSpeaker');
    b.client.send({ type: 'getSpeakerStats' });
    const stats = await b.client.next('speakerStats');
    const byId = Object.fromEntries(stats.stats.map((s) => [s.id, s.dominantMs]));
    expect(byId[a.id]).toBeGreaterThan(0);
    expect(byId[b.id]).toBe(0);
    for (const c of [a, b]) {
      c.client.send({ type: 'leave' });
      await c.client.next('left');
    }
    const fresh = await join(ROOM);
    fresh.client.send({ type: 'getSpeakerStats' });
    expect((await fresh.client.next('speakerStats')).stats).toEqual([{ id: fresh.id, dominantMs: 0 }]);
  });
});
