import { readFileSync } from 'node:fs';
import { type ServerProcess, spawnServer, TestClient, type TestServer } from '@conclave/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * "No trace": a whole meeting with sentinel strings — room name, display names, e-mail, chat
 * (public and private), password — through join, lock, lobby, chat and leave, against the real
 * server process with every log at trace level. Afterwards no sentinel may appear in its output,
 * in /metrics, or in any file it wrote (its working directory and its own temp directory).
 */

const SENTINELS = {
  room: 'SentinelRoomZq7x',
  alice: 'SentinelAliceQ3',
  bob: 'SentinelBobW8',
  email: 'sentinel.mail.k2@example.org',
  publicChat: 'SentinelPublicChatP5',
  privateChat: 'SentinelPrivateChatV9',
  password: 'SentinelPasswordM4',
  knocker: 'SentinelKnockerJ6',
};

let server: ServerProcess;

beforeAll(async () => {
  server = await spawnServer({ log: { level: 'trace' }, metrics: { enabled: true, port: 0 } });
});

afterAll(async () => {
  await server?.close();
});

describe('no trace', () => {
  it('P1 P4 P5 P6 P7: a whole meeting leaves no sentinel in logs, metrics or files', async () => {
    const ws = { wsUrl: server.wsUrl } as TestServer;
    const alice = await TestClient.connect(ws);
    alice.send({ type: 'join', room: SENTINELS.room, displayName: SENTINELS.alice, email: SENTINELS.email });
    const aliceJoined = await alice.next('joined');
    alice.send({ type: 'setPassword', password: SENTINELS.password });
    alice.send({ type: 'setLobby', enabled: true });

    const knocker = await TestClient.connect(ws);
    knocker.send({ type: 'join', room: SENTINELS.room, displayName: SENTINELS.knocker });
    await knocker.next('lobbyWaiting');
    const knock = await alice.next('knock');
    alice.send({ type: 'lobbyDecision', id: knock.knocker.id, admit: false });
    await knocker.next('error');

    const bob = await TestClient.connect(ws);
    bob.send({
      type: 'join',
      room: SENTINELS.room,
      displayName: SENTINELS.bob,
      password: SENTINELS.password,
    });
    const bobJoined = await bob.next('joined');
    bob.send({ type: 'chat', body: { kind: 'text', text: SENTINELS.publicChat } });
    bob.send({ type: 'chat', to: aliceJoined.self.id, body: { kind: 'text', text: SENTINELS.privateChat } });
    await alice.next('chatMessage');
    await alice.next('chatMessage');
    alice.send({
      type: 'signal',
      to: bobJoined.self.id,
      description: { type: 'offer', sdp: `v=0 ${SENTINELS.alice}` },
    });
    await bob.next('signal');
    bob.send({ type: 'leave' });
    await bob.next('left');
    alice.send({ type: 'leave' });
    await alice.next('left');
    const metrics = await (await fetch(server.metricsUrl())).text();
    for (const c of [alice, bob, knocker]) c.close();
    await new Promise((r) => setTimeout(r, 200));

    const output = server.output();
    expect(output).toContain('room.closed');
    expect(metrics).toContain('conclave_joins_total 2');
    const files = server.files();
    const haystacks = {
      output,
      metrics,
      ...Object.fromEntries(files.map((f) => [f, readFileSync(f, 'latin1')])),
    };
    for (const [where, text] of Object.entries(haystacks)) {
      for (const [what, sentinel] of Object.entries(SENTINELS)) {
        expect(text.toLowerCase(), `${what} found in ${where}`).not.toContain(sentinel.toLowerCase());
      }
    }
  });
});
