import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRoomName } from '@conclave/protocol';
import { startRedis, type TestRedis } from '@conclave/testkit/standins';
import { WebSocket } from 'ws';
import { preferredNode, roomHash } from '../../packages/server/src/directory/hashing.js';

/*
 * bench/cluster/signalling: Conclave nodes as real processes (the built server), signalling only
 * (no SFU), sharing a real redis-server — or one node with no Redis at all (`--nodes 1
 * --redis 0`, the default single process). Raw protocol-2 WebSocket clients that follow redirects.
 *
 *   --mode joins    joins/s: C concurrent clients each connect to the next node, join a new room
 *                   (created and closed again, so claim + release in Redis), leave; for --seconds.
 *   --mode latency  join → joined latency, one join at a time into new rooms through random
 *                   nodes, split by redirects taken (0: the entry hosts or starts it; 1: sent on).
 *   --mode memory   --participants P in rooms of two through random entries, held open; each
 *                   node's RSS growth per participant it hosts.
 *
 *   npm run build && unshare -n bash -c 'ip link set lo up && npx tsx bench/cluster/signalling.ts --nodes 3 --mode joins'
 */

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const modeAt = process.argv.indexOf('--mode');
const mode = modeAt >= 0 ? process.argv[modeAt + 1] : 'joins';
const nodeCount = arg('nodes', 3);
const useRedis = arg('redis', nodeCount > 1 ? 1 : 0) === 1;
const concurrency = arg('concurrency', 32);
const seconds = arg('seconds', 10);
const samples = arg('samples', 400);
const participants = arg('participants', 1000);
// --entry owner: each client enters at the node placement picks for its room (as a balancer that
// knew the placement would send it), so no join is redirected; default: round robin.
const entryOwner = process.argv.includes('owner');

const MAIN = fileURLToPath(new URL('../../packages/server/dist/main.js', import.meta.url));
const PROBE = new URL('./memoryProbe.mjs', import.meta.url).href;
const SECRET = 'bench-cluster-secret-0123456789abcdefghij';

interface Node {
  id: string;
  url: string;
  ws: string;
  /** Its metrics listener (metrics.enabled on a port of its own; never on the public one). */
  metricsUrl: string;
  proc: ChildProcess;
}

async function startNode(id: string, redis: TestRedis | undefined, dir: string): Promise<Node> {
  const config = join(dir, `${id}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      log: { level: 'warn' },
      media: { enabled: false },
      limits: { joinsPerMinute: 10_000, joinBurst: 10_000, messagesPerSecond: 10_000, messageBurst: 10_000 },
      rooms: { maxParticipants: 1000 },
      metrics: { enabled: true, port: 0 },
      ...(redis ? { cluster: { redisUrl: redis.url, secret: SECRET, nodeId: id } } : {}),
    }),
  );
  const proc = spawn(process.execPath, ['--expose-gc', '--import', PROBE, MAIN, '--config', config], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr?.on('data', (d) => {
    err += String(d);
    for (const m of err.matchAll(/MEMORY (\{[^\n]*\})\n/g))
      memoryReports.get(proc)?.(JSON.parse(m[1] ?? '{}'));
    err = err.slice(err.lastIndexOf('\n') + 1);
  });
  const [url, metricsUrl] = await new Promise<[string, string]>((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (d) => {
      out += String(d);
      const listening = /listening on (http:\S+)/.exec(out)?.[1];
      const metrics = /metrics on (http:\S+)/.exec(out)?.[1];
      if (listening && metrics) resolve([listening, metrics]);
    });
    proc.once('exit', (code) => reject(new Error(`node ${id} exited (${code})`)));
  });
  return { id, url, ws: `${url.replace('http', 'ws')}/ws`, metricsUrl, proc };
}

type Reply = { type: string; url?: string; ticket?: string; code?: string };

/** One socket: hello (v2), then join following redirects; resolves when joined. */
class Client {
  socket!: WebSocket;
  #waiters: ((m: Reply) => void)[] = [];

  async open(url: string): Promise<void> {
    this.socket = new WebSocket(url);
    this.socket.on('message', (data) => {
      const m = JSON.parse(String(data)) as Reply;
      // The server's heartbeat answers no request.
      if (m.type === 'heartbeat') return;
      this.#waiters.shift()?.(m);
    });
    await new Promise((resolve, reject) => {
      this.socket.once('open', resolve);
      this.socket.once('error', reject);
    });
    await this.request({ type: 'hello', versions: [2] }, 'welcome');
  }

  request(message: object, ...types: string[]): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const wait = (m: Reply) => {
        if (types.includes(m.type)) resolve(m);
        else if (m.type === 'error') reject(new Error(m.code));
        else this.#waiters.unshift(wait);
      };
      this.#waiters.push(wait);
      this.socket.send(JSON.stringify(message));
    });
  }

  /** Joins `room` through this socket's node; returns how many redirects it took. */
  async join(room: string): Promise<number> {
    let ticket: string | undefined;
    for (let hops = 0; ; hops++) {
      const reply = await this.request(
        { type: 'join', room, ...(ticket ? { ticket } : {}) },
        'joined',
        'redirect',
      );
      if (reply.type === 'joined') return hops;
      this.socket.close();
      ticket = reply.ticket;
      await this.open(reply.url ?? '');
    }
  }

  close(): void {
    this.socket.close();
  }
}

type Memory = { rss: number; heapUsed: number; external: number; arrayBuffers: number };
const memoryReports = new Map<ChildProcess, (m: Memory) => void>();

/** The node's memory right after a full garbage collection (memoryProbe.mjs). */
function memoryOf(proc: ChildProcess): Promise<Memory> {
  return new Promise((resolve) => {
    memoryReports.set(proc, resolve);
    proc.kill('SIGUSR2');
  });
}

async function participantsOn(node: Node): Promise<number> {
  const text = await (await fetch(node.metricsUrl)).text();
  return Number(/conclave_participants(?:\{[^}]*\})? (\d+)/.exec(text)?.[1] ?? 0);
}

/** CPU seconds (user + system) a process has used; 0 once it is gone. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

const dir = mkdtempSync(join(tmpdir(), 'conclave-bench-cluster-'));
const redis = useRedis ? await startRedis() : undefined;
const nodes: Node[] = [];
try {
  for (let i = 0; i < nodeCount; i++) nodes.push(await startNode(`n${i + 1}`, redis, dir));
  // Wait for every node to be registered and past the settling time of a fresh Redis.
  for (;;) {
    const health = await Promise.all(nodes.map(async (n) => (await fetch(`${n.url}/healthz`)).json()));
    if (health.every((h: { directory?: string }) => (h.directory ?? 'ok') === 'ok')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 2500));
  const pick = (i: number) => nodes[i % nodes.length] as Node;
  const ownerOf = (room: string) => {
    const key = (parseRoomName(room) as { key: string }).key;
    const id = preferredNode(roomHash(SECRET, key), nodes)?.id;
    return nodes.find((n) => n.id === id) ?? pick(0);
  };

  if (mode === 'joins') {
    let done = 0;
    let counter = 0;
    const until = Date.now() + seconds * 1000;
    const started = Date.now();
    const serverPids = [...nodes.map((n) => n.proc.pid), redis?.pid];
    const serverCpu0 = serverPids.reduce((sum: number, pid) => sum + cpuSeconds(pid), 0);
    const clientCpu0 = process.cpuUsage();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, w) => {
        while (Date.now() < until) {
          const n = counter++;
          const room = `BenchJoinRoom${n}x${w}`;
          const client = new Client();
          await client.open((entryOwner ? ownerOf(room) : pick(n + w)).ws);
          await client.join(room);
          client.close();
          done++;
        }
      }),
    );
    const rate = done / ((Date.now() - started) / 1000);
    const serverCpu = serverPids.reduce((sum: number, pid) => sum + cpuSeconds(pid), 0) - serverCpu0;
    const clientCpu = process.cpuUsage(clientCpu0);
    console.log(
      JSON.stringify({
        mode,
        nodes: nodeCount,
        redis: useRedis,
        concurrency,
        entry: entryOwner ? 'owner' : 'round robin',
        joins: done,
        joinsPerSecond: Math.round(rate),
        // Nodes and Redis together, per join; and the load generator's own share.
        serverCpuMsPerJoin: Number(((serverCpu * 1000) / done).toFixed(3)),
        clientCpuMsPerJoin: Number(((clientCpu.user + clientCpu.system) / 1000 / done).toFixed(3)),
      }),
    );
  } else if (mode === 'latency') {
    const byHops: Record<number, number[]> = {};
    for (let i = 0; i < samples; i++) {
      const client = new Client();
      await client.open(pick(Math.floor(Math.random() * nodes.length)).ws);
      const t0 = performance.now();
      const hops = await client.join(`BenchLatencyRoom${i}`);
      const list = byHops[hops] ?? [];
      list.push(performance.now() - t0);
      byHops[hops] = list;
      client.close();
    }
    const summary = Object.fromEntries(
      Object.entries(byHops).map(([hops, xs]) => [
        `redirects${hops}`,
        { n: xs.length, p50: Number(pct(xs, 50).toFixed(2)), p99: Number(pct(xs, 99).toFixed(2)) },
      ]),
    );
    console.log(JSON.stringify({ mode, nodes: nodeCount, redis: useRedis, ...summary }));
  } else if (mode === 'memory') {
    // Warm up every code path first, so the baseline already holds the compiled code.
    for (let i = 0; i < 120; i++) {
      const client = new Client();
      await client.open(pick(i).ws);
      await client.join(`BenchWarmupRoom${Math.floor(i / 2)}`);
      client.close();
    }
    await new Promise((r) => setTimeout(r, 2000));
    const before = await Promise.all(nodes.map((n) => memoryOf(n.proc)));
    const clients: Client[] = [];
    for (let i = 0; i < participants; i++) {
      const client = new Client();
      await client.open(pick(Math.floor(Math.random() * nodes.length)).ws);
      await client.join(`BenchMemoryRoom${Math.floor(i / 2)}`);
      clients.push(client);
    }
    await new Promise((r) => setTimeout(r, 3000));
    const perNode = await Promise.all(
      nodes.map(async (n, i) => {
        const hosted = await participantsOn(n);
        const after = await memoryOf(n.proc);
        const was = before[i] as Memory;
        const kib = (bytes: number) => Math.round(bytes / 1024 / Math.max(1, hosted));
        return {
          node: n.id,
          participants: hosted,
          heapKiBPerParticipant: kib(after.heapUsed + after.external - was.heapUsed - was.external),
          rssKiBPerParticipant: kib(after.rss - was.rss),
          rssMiB: Math.round(after.rss / 2 ** 20),
        };
      }),
    );
    console.log(JSON.stringify({ mode, nodes: nodeCount, redis: useRedis, participants, perNode }));
    for (const c of clients) c.close();
  }
} finally {
  for (const n of nodes) n.proc.kill('SIGKILL');
  await redis?.close();
  rmSync(dir, { recursive: true, force: true });
}
