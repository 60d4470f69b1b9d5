import { parseRoomName } from '@conclave/protocol';
import { TestClient, type TestServer } from '@conclave/testkit';
import {
  joinVia,
  nodesAgree,
  startNode,
  startRedis,
  TEST_CLUSTER_SECRET,
  type TestRedis,
} from '@conclave/testkit/standins';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/*
 * Three nodes (in this process) sharing one real redis-server: a meeting runs on exactly one node
 * whichever node its participants come in through, new meetings spread over the nodes, and Redis
 * holds nothing personal — only keyed hashes, node ids and node addresses.
 */

let redis: TestRedis;
let nodes: TestServer[];
const open: TestClient[] = [];

beforeAll(async () => {
  redis = await startRedis();
  // Metrics on a listener of their own (port 0), as an operator enables them.
  const withMetrics = { metrics: { enabled: true, port: 0 } };
  nodes = [
    await startNode(redis.url, withMetrics),
    await startNode(redis.url, withMetrics),
    await startNode(redis.url, withMetrics),
  ];
  await nodesAgree(nodes, 3);
});

// Each test closes what it opened (the kit checks that nothing outlives a test).
afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await Promise.all(nodes.map((n) => expect.poll(() => n.rooms.roomCount, { timeout: 5000 }).toBe(0)));
});

afterAll(async () => {
  for (const n of nodes ?? []) await n.close();
  await redis?.close();
});

function node(i: number): TestServer {
  const n = nodes[i];
  if (!n) throw new Error(`no node ${i}`);
  return n;
}
const key = (room: string) => (parseRoomName(room) as { key: string }).key;
const hosts = (room: string) => nodes.filter((n) => n.rooms.has(key(room)));

async function join(node: TestServer, room: string, extra: { displayName?: string; password?: string } = {}) {
  const result = await joinVia(node.wsUrl, { room, ...extra });
  open.push(result.client);
  return result;
}

describe('a cluster of three nodes', () => {
  it('one meeting on exactly one node: joins through each of the three nodes meet there', async () => {
    const room = 'AmberFinchesCrossTheBay';
    const [a, b, c] = [await join(node(0), room), await join(node(1), room), await join(node(2), room)];
    expect(hosts(room)).toHaveLength(1);
    expect(new Set([a.joined.meetingId, b.joined.meetingId, c.joined.meetingId]).size).toBe(1);
    expect(c.joined.participants.map((p) => p.id).sort()).toEqual(
      [a.joined.self.id, b.joined.self.id].sort(),
    );
    // Two of the three came in through a node that does not host it, and were sent on once.
    expect([a, b, c].map((j) => j.redirects).sort()).toEqual([0, 1, 1]);
    const [owner] = hosts(room);
    expect(new Set([a.url, b.url, c.url])).toEqual(new Set([owner?.wsUrl]));
    for (const j of [a, b, c]) j.client.close();
  });

  it('new meetings spread over the nodes, all entered through one node', async () => {
    const rooms = Array.from({ length: 24 }, (_, i) => `SpreadingRoomNumber${i}Tall`);
    for (const room of rooms) await join(node(0), room);
    const perNode = nodes.map((n) => rooms.filter((r) => n.rooms.has(key(r))).length);
    expect(perNode.reduce((x, y) => x + y)).toBe(24);
    for (const count of perNode) expect(count).toBeGreaterThan(2);
  });

  it('P2: being sent to another node says nothing about whether a meeting exists: free names are sent on too, to where they would start', async () => {
    let sentOn = 0;
    for (let i = 0; i < 12; i++) {
      const room = `NeverUsedBeforeHarbor${i}`;
      const probe = await TestClient.connect(node(0), { versions: [2] });
      open.push(probe);
      probe.send({ type: 'join', room });
      const reply = await probe.nextOf(['joined', 'redirect']);
      if (reply.type === 'joined') continue;
      sentOn++;
      // Nobody hosts it: it was sent to the node where it starts, which takes the join.
      expect(hosts(room)).toHaveLength(0);
      const there = await TestClient.connect({ wsUrl: reply.url }, { versions: [2] });
      open.push(there);
      there.send({ type: 'join', room, ticket: reply.ticket });
      await there.next('joined');
    }
    expect(sentOn).toBeGreaterThan(1);
  });

  it('a version-1 client is told REDIRECT_UNSUPPORTED where it would be redirected, and joins where the meeting is', async () => {
    const room = 'VersionOneVisitorsWaitHere';
    const first = await join(node(0), room);
    const owner = hosts(room)[0];
    const elsewhere = nodes.find((n) => n !== owner);
    const old = await TestClient.connect(elsewhere as TestServer, { versions: [1] });
    open.push(old);
    old.send({ type: 'join', room });
    expect((await old.next('error')).code).toBe('REDIRECT_UNSUPPORTED');
    const direct = await TestClient.connect(owner as TestServer, { versions: [1] });
    open.push(direct);
    direct.send({ type: 'join', room });
    expect((await direct.next('joined')).meetingId).toBe(first.joined.meetingId);
  });

  it("a redirect names the owner's signalling URL, and the entry node counts it", async () => {
    const room = 'TicketsAreGoodForOneRide';
    await join(node(0), room);
    const owner = hosts(room)[0] as TestServer;
    const entry = nodes.find((n) => n !== owner) as TestServer;
    const client = await TestClient.connect(entry, { versions: [2] });
    open.push(client);
    client.send({ type: 'join', room });
    const redirect = await client.next('redirect');
    expect(redirect.url).toBe(owner.wsUrl);
    expect(redirect.ticket).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    const metrics = await (await fetch(entry.metricsUrl ?? '')).text();
    expect(Number(/conclave_redirects_total\{[^}]*\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/conclave_rooms\{node_id="[0-9a-f]+"\}/);
  });

  it('P1 P4 P5 P6 P7: Redis holds no room name, name, e-mail, chat, password or secret during a meeting — only hashed entries, node addresses and hashed per-address counters — and the entry goes with the meeting', async () => {
    const sentinel = {
      room: 'SentinelClusterRoomQx4',
      alice: 'SentinelClusterAliceK7',
      bob: 'SentinelClusterBobM2',
      email: 'sentinel.cluster.z9@example.org',
      chat: 'SentinelClusterChatW5',
      password: 'SentinelClusterPasswordR8',
    };
    const alice = await join(node(1), sentinel.room, { displayName: sentinel.alice });
    alice.client.send({ type: 'setPassword', password: sentinel.password });
    await alice.client.next('roomUpdated');
    const entry = nodes.find((n) => !n.rooms.has(key(sentinel.room))) as TestServer;
    const bob = await join(entry, sentinel.room, { displayName: sentinel.bob, password: sentinel.password });
    bob.client.send({ type: 'setProfile', displayName: sentinel.bob, email: sentinel.email });
    bob.client.send({ type: 'chat', body: { kind: 'text', text: sentinel.chat } });
    await alice.client.next('chatMessage');

    const dump = await redis.dump();
    const forbidden = [...Object.values(sentinel), key(sentinel.room), TEST_CLUSTER_SECRET];
    for (const [k, values] of Object.entries(dump)) {
      for (const text of [k, ...values]) {
        for (const f of forbidden) expect(text.toLowerCase(), `${f} in Redis`).not.toContain(f.toLowerCase());
      }
      // What may be there at all, and nothing else.
      const entryValue = /^[A-Za-z0-9_-]{1,64} http:\/\/127\.0\.0\.1:\d+$/;
      if (/^conclave:room:[A-Za-z0-9_-]{43}$/.test(k) || k === 'conclave:nodes') {
        for (const v of values) expect(v).toMatch(entryValue);
      } else {
        expect(k).toMatch(/^conclave:rl:(join|password):[A-Za-z0-9_-]{22}$/);
        expect(values[0]).toBe('t');
        expect(values[2]).toBe('at');
      }
    }
    const roomEntries = () =>
      redis.dump().then((d) => Object.keys(d).filter((k) => k.startsWith('conclave:room:')));
    const during = await roomEntries();
    alice.client.close();
    bob.client.close();
    await expect.poll(async () => (await roomEntries()).length, { timeout: 5000 }).toBe(during.length - 1);
  });
});
