import { startRedis, type TestRedis } from '@conclave/testkit/standins';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '../log/logger.js';
import { roomHash } from './hashing.js';
import { RedisDirectory } from './RedisDirectory.js';
import type { Placement } from './RoomDirectory.js';
import { connectRedis, KEYS } from './redis.js';

/*
 * The directory alone against a real redis-server: claims are exclusive under races, a node that
 * stops heartbeating frees its entries within the TTL, a restarted Redis gets its entries back from
 * their owners before anyone may start those meetings anew, and a node that finds its meeting's
 * entry taken is told so.
 */

const SECRET = 'directory-test-secret-0123456789abcdef';
const TTL_MS = 1500;
const silent = createLogger({ level: 'silent' });

let redis: TestRedis;
const made: RedisDirectory[] = [];

beforeAll(async () => {
  redis = await startRedis();
});

afterEach(async () => {
  for (const d of made.splice(0)) await d.close();
});

afterAll(async () => {
  await redis?.close();
});

function directory(
  id: string,
  rooms: Set<string> = new Set(),
  lost: string[] = [],
  url = redis.url,
): RedisDirectory {
  const d = new RedisDirectory({
    redis: connectRedis(url),
    self: { id, url: `http://127.0.0.1:${9000 + made.length}` },
    secret: SECRET,
    ttlMs: TTL_MS,
    nodeOrigins: ['http://127.0.0.1:*'],
    hasRoom: (key) => rooms.has(key),
    events: { lost: (key) => lost.push(key) },
    log: silent,
  });
  made.push(d);
  d.start();
  return d;
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const settled = (ds: RedisDirectory[]) =>
  until(() => ds.every((d) => d.state === 'ok'), 'directories settled');

async function entry(roomKey: string, url = redis.url): Promise<string | null> {
  const client = new Redis(url);
  try {
    return await client.get(KEYS.room(roomHash(SECRET, roomKey)));
  } finally {
    client.disconnect();
  }
}

describe('RedisDirectory', () => {
  it('exactly one of many nodes racing for a free meeting wins it; the others are sent to the winner', async () => {
    const ds = Array.from({ length: 8 }, (_, i) => directory(`node${i}`));
    await settled(ds);
    // `redirected`: every node tries to claim, as if each had been sent there.
    const placements: Placement[] = await Promise.all(ds.map((d) => d.place('racedroom', true)));
    const here = placements.flatMap((p, i) => (p.kind === 'here' ? [i] : []));
    expect(here).toHaveLength(1);
    const winner = ds[here[0] ?? -1];
    for (const p of placements) if (p.kind === 'elsewhere') expect(p.node.id).toBe(winner?.self.id);
    expect(await entry('racedroom')).toBe(`${winner?.self.id} ${winner?.self.url}`);
  });

  it('a node that stops heartbeating frees its meetings within the TTL', async () => {
    const rooms = new Set(['orphanroom']);
    const dying = directory('dying', rooms);
    const survivor = directory('survivor');
    await settled([dying, survivor]);
    expect((await dying.place('orphanroom', true)).kind).toBe('here');
    expect(await survivor.place('orphanroom', true)).toMatchObject({
      kind: 'elsewhere',
      node: { id: 'dying' },
    });
    // Gone without a word: no release, no more heartbeats (as after kill -9).
    const started = Date.now();
    redisOf(dying).disconnect();
    await until(
      async () => (await survivor.place('orphanroom', true)).kind === 'here',
      'survivor takes over',
    );
    expect(Date.now() - started).toBeLessThan(TTL_MS + 1000);
  });

  it('while Redis is down a node keeps its meetings and starts none; after a restart owners re-claim before new meetings start', async () => {
    // A Redis of its own, since this test restarts it (and the restarted one is this test's).
    const own = await startRedis();
    onTestFinished(async () => {
      for (const d of made.splice(0)) await d.close();
      await own.close();
    });
    const rooms = new Set(['keptroom']);
    const owner = directory('owner', rooms, [], own.url);
    const other = directory('other', new Set(), [], own.url);
    await settled([owner, other]);
    expect((await owner.place('keptroom', true)).kind).toBe('here');
    await own.stop();
    await until(() => !owner.available && !other.available, 'both see Redis gone');
    expect((await owner.place('keptroom', false)).kind).toBe('here');
    expect((await owner.place('newroom', true)).kind).toBe('unavailable');
    expect((await other.place('keptroom', true)).kind).toBe('unavailable');
    await own.start();
    // Empty after the restart, until the owner re-claims (at once, on reconnecting).
    await until(async () => (await entry('keptroom', own.url)) !== null, 'owner re-claims keptroom');
    // Each node reconnects on its own retry schedule: `other` may still be reconnecting here, and
    // then it starts nothing either.
    expect(['unavailable', 'settling']).toContain(other.state);
    expect((await other.place('freshroom', true)).kind).toBe('unavailable');
    await until(() => other.available, 'other reconnects');
    expect(other.state).toBe('settling');
    expect((await other.place('freshroom', true)).kind).toBe('unavailable');
    expect(await other.place('keptroom', true)).toMatchObject({ kind: 'elsewhere', node: { id: 'owner' } });
    await settled([owner, other]);
    expect((await other.place('freshroom', true)).kind).toBe('here');
  });

  it('a node still settling after a Redis start is in no node list, so no settled node sends it a new meeting it would refuse', async () => {
    // A fresh Redis: every node waits one TTL + 1 s before starting new meetings, and the waits of
    // nodes that connected at different moments end at different moments.
    const own = await startRedis();
    onTestFinished(async () => {
      for (const d of made.splice(0)) await d.close();
      await own.close();
    });
    const early = directory('early', new Set(), [], own.url);
    await until(() => early.available, 'early connects');
    const late = directory('late', new Set(), [], own.url);
    await until(() => late.available, 'late connects');
    const client = new Redis(own.url);
    onTestFinished(() => client.disconnect());
    const registered = async (id: string) =>
      (await client.zrange(KEYS.nodes, 0, -1)).some((m) => m.startsWith(`${id} `));
    let checked = 0;
    for (;;) {
      const lateListed = await registered('late');
      // Read before the state: a node that was settling after the read was settling during it.
      if (late.state !== 'settling') break;
      expect(lateListed).toBe(false);
      expect(early.nodes.map((n) => n.id)).not.toContain('late');
      // A new meeting `early` places now starts on `early` (when it has settled) or nowhere yet.
      if (early.state === 'ok') expect((await early.place(`room${checked}`, false)).kind).toBe('here');
      checked++;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(checked).toBeGreaterThan(0);
    // Once it starts new meetings, it is offered for them.
    await until(() => registered('late'), 'late registered');
    await settled([early, late]);
  });

  it('a node whose meeting entry was taken by another node is told, so the meeting moves', async () => {
    const rooms = new Set(['contested']);
    const lost: string[] = [];
    const loser = directory('loser', rooms, lost);
    await settled([loser]);
    expect((await loser.place('contested', true)).kind).toBe('here');
    const client = new Redis(redis.url);
    await client.set(KEYS.room(roomHash(SECRET, 'contested')), 'thief http://127.0.0.1:1', 'PX', 60_000);
    client.disconnect();
    await until(() => lost.length > 0, 'loser told');
    expect(lost).toEqual(['contested']);
    expect(await loser.place('contested', true)).toMatchObject({ kind: 'elsewhere', node: { id: 'thief' } });
  });

  it('an entry pointing outside the node origins is never followed', async () => {
    const d = directory('careful');
    await settled([d]);
    const client = new Redis(redis.url);
    await client.set(KEYS.room(roomHash(SECRET, 'rogue')), 'evil https://evil.example', 'PX', 60_000);
    client.disconnect();
    expect((await d.place('rogue', false)).kind).toBe('unavailable');
  });

  it('a draining node starts no meeting but keeps its own', async () => {
    const rooms = new Set(['staying']);
    const draining = directory('draining', rooms);
    const open = directory('open');
    await settled([draining, open]);
    await until(() => draining.nodes.length === 2 && open.nodes.length === 2, 'both registered');
    expect((await draining.place('staying', true)).kind).toBe('here');
    draining.drain();
    expect((await draining.place('staying', false)).kind).toBe('here');
    for (const room of ['n1', 'n2', 'n3', 'n4', 'n5']) {
      expect(await draining.place(room, true)).toMatchObject({ kind: 'elsewhere', node: { id: 'open' } });
    }
    await until(() => open.nodes.length === 1, 'the draining node left the registry');
  });
});

function redisOf(d: RedisDirectory): Redis {
  return (d as unknown as { options: { redis: Redis } }).options.redis;
}
