import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, type TestServer } from './testing/harness.js';

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

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
// Resolved here, because the server runs in an empty working directory.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
let child: ChildProcess;
let output = '';
let url = '';
let workDir = '';
let tempDir = '';

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'conclave-notrace-cwd-'));
  tempDir = mkdtempSync(join(tmpdir(), 'conclave-notrace-tmp-'));
  const webDir = mkdtempSync(join(tmpdir(), 'conclave-notrace-web-'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Conclave</title>');
  const config = join(webDir, 'conclave.json');
  writeFileSync(config, JSON.stringify({ web: { dir: webDir }, log: { level: 'trace' } }));
  child = spawn(process.execPath, ['--conditions=source', '--import', TSX, MAIN, '--config', config], {
    cwd: workDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TMPDIR: tempDir, CONCLAVE_LOG_LEVEL: 'trace' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  const deadline = Date.now() + 20_000;
  while (!/listening on (http:\S+)/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  url = /listening on (http:\S+)/.exec(output)?.[1] ?? '';
});

afterAll(() => {
  child?.kill('SIGKILL');
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

describe('no trace', () => {
  it('P1 P4 P5 P6 P7: a whole meeting leaves no sentinel in logs, metrics or files', async () => {
    const server = { wsUrl: `${url.replace('http', 'ws')}/ws` } as TestServer;
    const alice = await TestClient.connect(server);
    alice.send({ type: 'join', room: SENTINELS.room, displayName: SENTINELS.alice, email: SENTINELS.email });
    const aliceJoined = await alice.next('joined');
    alice.send({ type: 'setPassword', password: SENTINELS.password });
    alice.send({ type: 'setLobby', enabled: true });

    const knocker = await TestClient.connect(server);
    knocker.send({ type: 'join', room: SENTINELS.room, displayName: SENTINELS.knocker });
    await knocker.next('lobbyWaiting');
    const knock = await alice.next('knock');
    alice.send({ type: 'lobbyDecision', id: knock.knocker.id, admit: false });
    await knocker.next('error');

    const bob = await TestClient.connect(server);
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
    const metrics = await (await fetch(`${url}/metrics`)).text();
    for (const c of [alice, bob, knocker]) c.close();
    await new Promise((r) => setTimeout(r, 200));

    expect(output).toContain('room.closed');
    expect(metrics).toContain('conclave_joins_total 2');
    const files = [...filesUnder(workDir), ...filesUnder(tempDir)];
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
