import { Writable } from 'node:stream';
import {
  ClientMessage,
  ERROR_CODES,
  type ServerMessage,
  ServerMessage as ServerMessageSchema,
} from '@conclave/protocol';
import { startTestServer, TestClient, until } from '@conclave/testkit';
import { anyFrame, fuzzParams, type ID_PLACEHOLDERS, ROOM_POOL } from '@conclave/testkit/fuzz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { MemoryDirectory } from '../directory/MemoryDirectory.js';
import { Metrics } from '../http/metrics.js';
import { createLogger, Redactor } from '../log/logger.js';
import { RoomRegistry } from '../rooms/RoomRegistry.js';
import { localAddressLimiter } from '../util/AddressLimiter.js';
import { KeyedRateLimiter } from '../util/rateLimit.js';
import { Connection, type ConnectionDeps } from './Connection.js';

/*
 * Fuzzing the signalling dispatcher (issue 17): sequences of frames — well-formed messages of every
 * type, near misses, garbage — from two clients, into the real Connection, RoomRegistry and rooms
 * (no network: a Connection talks to its socket only through `Transport`). Whatever they send, the
 * server answers every bad frame with a stable error code, never an internal error, sends nothing
 * that is not a valid server message, and the meetings of others carry on untouched.
 */

const [REAL_ROOM, , , CAROLS_ROOM] = ROOM_POOL as [string, string, string, string];
const CHAT = parseConfig({}).chat;

class Client {
  readonly received: ServerMessage[] = [];
  closed = false;
  readonly connection: Connection;
  id: string | undefined;
  knock: string | undefined;

  constructor(deps: ConnectionDeps, address: string) {
    this.connection = new Connection(
      {
        send: (text) => {
          const parsed = ServerMessageSchema.safeParse(JSON.parse(text));
          // Everything the server sends is a message of its own protocol, whatever it was sent.
          expect(parsed.error?.issues, text.slice(0, 200)).toBeUndefined();
          const message = parsed.data as ServerMessage;
          if (message.type === 'error') {
            expect(Object.keys(ERROR_CODES)).toContain(message.code);
            expect(message.code).not.toBe('INTERNAL');
          }
          if (message.type === 'joined') this.id = message.self.id;
          if (message.type === 'knock') this.knock = message.knocker.id;
          this.received.push(message);
        },
        close: () => {
          this.closed = true;
          this.connection.closed();
        },
      },
      address,
      deps,
    );
  }

  send(message: object): void {
    this.connection.receive(JSON.stringify(message), false);
  }
}

interface Step {
  who: 0 | 1;
  kind: 'frame' | 'binary' | 'reconnect';
  frame: string;
}

const step: fc.Arbitrary<Step> = fc.record({
  who: fc.constantFrom(0 as const, 1 as const),
  kind: fc.constantFrom(
    ...(['frame', 'frame', 'frame', 'frame', 'frame', 'frame', 'binary', 'reconnect'] as const),
  ),
  frame: anyFrame,
});

/**
 * Lets the connection finish what it started: a join is placed through the directory and the
 * per-address limiter (promises, no I/O with the in-memory ones), so its answer comes a few
 * microtasks after the frame; a macrotask later they have all run.
 */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function world(abuseThreshold: number) {
  const logs: string[] = [];
  const log = createLogger({
    level: 'trace',
    destination: new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  });
  const rooms = new RoomRegistry({
    maxParticipants: 100,
    policy: { p2pEnabled: true, sfuAvailable: false },
    log,
    redactor: new Redactor(),
    lobbyByDefault: false,
    chat: CHAT,
  });
  const deps: ConnectionDeps = {
    rooms,
    directory: new MemoryDirectory({ id: 'fuzz', url: 'http://127.0.0.1:1' }, (key) => rooms.has(key)),
    joinLimiter: localAddressLimiter(new KeyedRateLimiter({ capacity: 10_000, perSecond: 10_000 })),
    passwordLimiter: localAddressLimiter(new KeyedRateLimiter({ capacity: 10_000, perSecond: 10_000 })),
    metrics: new Metrics(rooms),
    log,
    limits: { maxMessageBytes: 65_536, messagesPerSecond: 100_000, messageBurst: 100_000, abuseThreshold },
    iceServers: () => [],
    helloTimeoutMs: 60_000,
  };
  const bystander = async (room: string) => {
    const c = new Client(deps, '192.0.2.1');
    c.send({ type: 'hello', versions: [1] });
    c.send({ type: 'join', room });
    await settle();
    expect(c.id).toBeDefined();
    return c;
  };
  // A full two-person meeting the fuzzers cannot enter, and one person alone whom they may join.
  const alice = await bystander(REAL_ROOM);
  const bob = await bystander(REAL_ROOM);
  const carol = await bystander(CAROLS_ROOM);
  return { logs, rooms, deps, alice, bob, carol };
}

describe('signalling dispatcher under fuzzing', () => {
  it('answers every bad frame with a stable error, sends only valid messages, and leaves others untouched', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(5, 100_000),
        // How each fuzzer starts: mostly greeted and in a meeting (often Carol's), so that the
        // steps reach the paths behind `hello` and `join`.
        fc.array(
          fc.record({
            greet: fc.oneof(
              { weight: 4, arbitrary: fc.constant(true) },
              { weight: 1, arbitrary: fc.constant(false) },
            ),
            room: fc.option(fc.constantFrom(...ROOM_POOL.slice(1)), { freq: 4 }),
          }),
          { minLength: 2, maxLength: 2 },
        ),
        fc.array(step, { minLength: 5, maxLength: 60, size: 'max' }),
        async (abuseThreshold, opening, steps) => {
          const w = await world(abuseThreshold);
          const before = { alice: w.alice.received.length, bob: w.bob.received.length };
          const fuzzers: Client[] = [0, 1].map((i) => new Client(w.deps, `198.51.100.${i}`));
          opening.forEach(({ greet, room }, i) => {
            if (greet) fuzzers[i]?.send({ type: 'hello', versions: [1] });
            if (greet && room !== null) fuzzers[i]?.send({ type: 'join', room });
          });
          await settle();
          const ids = (who: number): Record<(typeof ID_PLACEHOLDERS)[number], string | undefined> => ({
            $alice: w.alice.id,
            $bob: w.bob.id,
            $carol: w.carol.id,
            $f0: fuzzers[0]?.id,
            $f1: fuzzers[1]?.id,
            $knock: fuzzers[who]?.knock,
          });
          for (const s of steps) {
            if (s.kind === 'reconnect') {
              fuzzers[s.who]?.connection.closed();
              fuzzers[s.who] = new Client(w.deps, `198.51.100.${s.who}`);
              fuzzers[s.who]?.send({ type: 'hello', versions: [1] });
              continue;
            }
            const client = fuzzers[s.who] as Client;
            let frame = s.frame;
            for (const [placeholder, id] of Object.entries(ids(s.who))) {
              frame = frame.replaceAll(JSON.stringify(placeholder), JSON.stringify(id ?? 'nobody-here'));
            }
            const wasClosed = client.closed;
            const count = client.received.length;
            client.connection.receive(Buffer.from(frame), s.kind === 'binary');
            await settle();
            if (wasClosed) continue;
            const replies = client.received.slice(count);
            if (s.kind === 'binary' || !acceptedBySchema(frame)) {
              // A clear answer: an error naming a code (or, past the abuse threshold, ABUSE and a close).
              expect(replies.some((m) => m.type === 'error')).toBe(true);
            }
          }
          // Nothing a fuzzer did reached the meeting it could not enter.
          expect(w.alice.received.length).toBe(before.alice);
          expect(w.bob.received.length).toBe(before.bob);
          expect(w.logs.join('')).not.toContain('dispatch_failed');
          for (const f of fuzzers) f.connection.closed();
          // Their rooms are gone with them (PRIVACY P1); the others' are as they were.
          expect(w.rooms.roomCount).toBe(2);
          expect(w.rooms.participantCount).toBe(3);
          const carolsRoom = [...w.rooms.rooms()].find((r) => r.size === 1);
          expect(carolsRoom?.state).toEqual({
            locked: false,
            lobby: false,
            recording: false,
            multipleScreenShares: false,
          });
          await settle();
          w.alice.send({ type: 'chat', body: { kind: 'text', text: 'still here' } });
          expect(w.bob.received.at(-1)).toMatchObject({ type: 'chatMessage', message: { from: w.alice.id } });
          w.carol.send({ type: 'getSpeakerStats' });
          expect(w.carol.received.at(-1)?.type).toBe('speakerStats');
          w.rooms.close();
        },
      ),
      fuzzParams('server.dispatcher', 300),
    );
  });
});

describe('a real server under fuzzed frames', () => {
  it('stays healthy: fuzzing sockets get errors (and ABUSE closes), a meeting beside them carries on', async () => {
    const server = await startTestServer({ limits: { socketsPerAddress: 1000 } });
    const clients: TestClient[] = [];
    try {
      const a = await TestClient.join(server, REAL_ROOM);
      const b = await TestClient.join(server, REAL_ROOM);
      clients.push(a.client, b.client);
      const { seed, numRuns } = fuzzParams('server.dispatcherRealServer', 400);
      const frames = fc.sample(anyFrame, { seed, numRuns });
      let fuzzer: TestClient | undefined;
      let sockets = 0;
      for (const [i, frame] of frames.entries()) {
        if (!fuzzer || fuzzer.closeCode !== undefined) {
          fuzzer = await TestClient.connect(server, { greet: i % 3 !== 0 });
          clients.push(fuzzer);
          sockets++;
        }
        fuzzer.sendRaw(i % 17 === 0 ? Buffer.from(frame) : frame);
        // Let the server's answers (and a close) arrive now and then, as they would for a real client.
        if (i % 10 === 9) await new Promise((r) => setTimeout(r, 20));
      }
      if (fuzzer && fuzzer.closeCode === undefined) {
        fuzzer.send({ type: 'getSpeakerStats' });
        await fuzzer.nextOf(['error', 'speakerStats']).catch(() => undefined);
      }
      const errors = clients.slice(2).flatMap((c) => c.received.filter((m) => m.type === 'error'));
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) {
        expect(Object.keys(ERROR_CODES)).toContain(e.code);
        expect(e.code).not.toBe('INTERNAL');
      }
      expect(sockets).toBeGreaterThan(1); // the abuse threshold closed at least one
      // Fuzzers may have joined this meeting and chatted too: wait for a's message among theirs.
      a.client.send({ type: 'chat', body: { kind: 'text', text: 'still talking' } });
      await until(
        () =>
          b.client.received.some(
            (m) =>
              m.type === 'chatMessage' &&
              m.message.from === a.joined.self.id &&
              m.message.body.kind === 'text' &&
              m.message.body.text === 'still talking',
          ),
        'a’s chat message to reach b',
        10_000,
      );
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(server.logs.join('')).not.toContain('dispatch_failed');
      for (const c of clients.slice(2)) c.close();
      await until(() => server.rooms.roomCount === 1 && server.rooms.participantCount === 2, 'fuzzers gone');
    } finally {
      for (const c of clients) c.close();
      await server.close();
    }
  });
});

function acceptedBySchema(frame: string): boolean {
  try {
    return ClientMessage.safeParse(JSON.parse(frame)).success;
  } catch {
    return false;
  }
}
