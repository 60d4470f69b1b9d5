import { createSocket } from 'node:dgram';
import { parseRoomName } from '@conclave/protocol';
import { eventually, type ServerProcess, snapshotWebDir, spawnServer, type TempDir } from '@conclave/testkit';
import { type Browser, type BrowserContext, launchChromium, type Page } from '@conclave/testkit/browser';
import { startRedis, type TestRedis } from '@conclave/testkit/standins';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { preferredNode, roomHash } from '../../packages/server/src/directory/hashing.js';

/*
 * Three Conclave nodes (real processes, P2P off so that every meeting's media runs through its
 * node) sharing one real redis-server, and a Chromium for their pages: started once in the
 * file's beforeAll, stopped in its afterAll. Default directory TTL (6 s).
 */

/** How old a node's copy of the node list may get before it reads it again (RedisDirectory). */
const NODE_LIST_MAX_AGE_MS = 1_000;

export interface ClusterNode {
  id: string;
  proc: ServerProcess;
  mediaPort: number;
}

export interface ClusterRig {
  readonly redis: TestRedis;
  /** The secret the nodes key room names with (it must never reach Redis either). */
  readonly secret: string;
  /** The nodes still running, in start order. */
  live(): ClusterNode[];
  /**
   * Until every live node is registered and starts new meetings, and every node's copy of the
   * node list includes them all: a node reads the list again only when its copy is more than a
   * second old (RedisDirectory), and the nodes register up to a second apart after a Redis start,
   * so a join right after the last registration could still be placed by an older list than
   * roomOn() uses.
   */
  settled(): Promise<void>;
  /** A room name that rendezvous placement puts on `owner` among the live nodes. */
  roomOn(owner: { id: string }, prefix: string): string;
  /** The Redis key of `room`'s directory entry. */
  entryKey(room: string): string;
  /** A page in a context of its own (closed after the test, unless taken) opening `room` at `entry`. */
  openMeeting(entry: { proc: ServerProcess }, room: string, name: string, initScript?: string): Promise<Page>;
  /** The contexts opened so far, which the caller now closes (pages that outlive one test). */
  takeContexts(): BrowserContext[];
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

export function clusterRig(): ClusterRig {
  const secret = 'e2e-cluster-secret-0123456789abcdefghij';
  let redis: TestRedis | undefined;
  const nodes: ClusterNode[] = [];
  let browser: Browser | undefined;
  let web: TempDir | undefined;
  const contexts: BrowserContext[] = [];
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the cluster rig is used before its beforeAll ran');
    return value;
  };
  const live = () => nodes.filter((n) => n.proc.signalCode() === null);
  const keyOf = (room: string) => roomHash(secret, (parseRoomName(room) as { key: string }).key);

  async function settled(): Promise<void> {
    await eventually(
      async () => {
        const health = await Promise.all(
          live().map(async (n) => (await fetch(`${n.proc.url}/healthz`)).json()),
        );
        const client = new Redis(started(redis).url);
        const members = await client.zcard('conclave:nodes').finally(() => client.disconnect());
        return members === live().length && health.every((h) => h.directory === 'ok') ? true : undefined;
      },
      'live nodes registered and settled',
      30_000,
    );
    await new Promise((r) => setTimeout(r, NODE_LIST_MAX_AGE_MS + 250));
  }

  beforeAll(async () => {
    redis = await startRedis();
    web = snapshotWebDir();
    for (const id of ['n1', 'n2', 'n3']) {
      const mediaPort = await freeUdpPort();
      const proc = await spawnServer({
        log: { level: 'info' },
        web: { dir: web.path },
        media: { port: mediaPort },
        p2p: { enabled: false },
        // Every page joins from 127.0.0.1; the per-address join limit is not under test here.
        limits: { joinBurst: 1000, joinsPerMinute: 1000 },
        cluster: { redisUrl: redis.url, secret, nodeId: id },
      });
      nodes.push({ id, proc, mediaPort });
    }
    await settled();
    browser = await launchChromium();
  });

  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close().catch(() => {});
  });

  afterAll(async () => {
    await browser?.close();
    for (const n of nodes) await n.proc.close();
    await redis?.close();
    web?.remove();
  });

  return {
    get redis() {
      return started(redis);
    },
    secret,
    live,
    settled,
    roomOn(owner, prefix) {
      const addresses = live().map((n) => ({ id: n.id, url: n.proc.url }));
      for (let i = 0; ; i++) {
        const room = `${prefix}${i}`;
        if (preferredNode(keyOf(room), addresses)?.id === owner.id) return room;
      }
    },
    entryKey: (room) => `conclave:room:${keyOf(room)}`,
    async openMeeting(entry, room, name, initScript) {
      const context = await started(browser).newContext();
      contexts.push(context);
      if (initScript) await context.addInitScript({ content: initScript });
      const page = await context.newPage();
      await page.goto(`${entry.proc.url}/${room}#name=${name}&prejoin=0`, { timeout: 60_000 });
      return page;
    },
    takeContexts: () => contexts.splice(0),
  };
}
