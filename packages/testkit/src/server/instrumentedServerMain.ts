import { createHook } from 'node:async_hooks';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Writable } from 'node:stream';
import { writeHeapSnapshot } from 'node:v8';
import { parseConfig, startServer } from '@conclave/server';

/*
 * The child side of instrumentedServer.ts: the real server in a process of its own (started with
 * --expose-gc), answering the bench's questions over IPC with what only the process itself can see
 * — its active handles and timers, its file descriptors, the SFU's sessions — after a full GC.
 */

// Every timer still scheduled, unref'd ones too (getActiveResourcesInfo lists only those that keep
// the process alive, and the server unrefs its own). A cleared timer may wait for its destroy hook
// until GC, so a timer counts while it is not destroyed and still has a timeout (-1 once cleared).
interface TimerState {
  _idleTimeout: number;
  _destroyed: boolean;
}
const timers = new Map<number, WeakRef<TimerState>>();
createHook({
  init(id, type, _trigger, resource) {
    if (type === 'Timeout') timers.set(id, new WeakRef(resource as TimerState));
  },
  destroy(id) {
    timers.delete(id);
  },
}).enable();

function scheduledTimers(): number {
  let n = 0;
  for (const [id, ref] of timers) {
    const t = ref.deref();
    if (!t) timers.delete(id);
    else if (!t._destroyed && t._idleTimeout >= 0) n++;
  }
  return n;
}

const config = parseConfig(JSON.parse(process.argv[2] ?? '{}'));
const server = await startServer(config, {
  logDestination: new Writable({ write: (_c, _e, done) => done() }),
});

export interface ServerStats {
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  /** process.getActiveResourcesInfo(), counted by type (TCPSocketWrap, UDPWRAP, ref'd Timeouts, …). */
  resources: Record<string, number>;
  /** Timers alive, unref'd ones included. */
  timers: number;
  openFds: number;
  udpSockets: number;
  sfuSessions: number;
  rooms: number;
  participants: number;
}

function stats(): ServerStats {
  (globalThis as { gc?: () => void }).gc?.();
  const resources: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) resources[r] = (resources[r] ?? 0) + 1;
  const memory = process.memoryUsage();
  return {
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    externalBytes: memory.external,
    resources,
    timers: scheduledTimers(),
    openFds: readdirSync('/proc/self/fd').length,
    udpSockets: udpSocketCount(),
    sfuSessions: server.media?.stats().sessions ?? 0,
    rooms: server.rooms.roomCount,
    participants: server.rooms.participantCount,
  };
}

/** UDP sockets this process holds, native ones (node-datachannel's) included: fd inodes in /proc/net/udp*. */
function udpSocketCount(): number {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    try {
      for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
        const inode = line.trim().split(/\s+/)[9];
        if (inode) inodes.add(inode);
      }
    } catch {
      // no IPv6 table
    }
  }
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m?.[1] && inodes.has(m[1])) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

process.on('message', (message: { id: number; ask: 'stats' | 'close' | 'snapshot'; path?: string }) => {
  if (message.ask === 'stats') process.send?.({ id: message.id, stats: stats() });
  if (message.ask === 'snapshot') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ id: message.id, path: writeHeapSnapshot(message.path) });
  }
  if (message.ask === 'close') {
    void server.close().then(() => {
      process.send?.({ id: message.id, closed: true });
      process.disconnect();
    });
  }
});
process.send?.({ ready: true, url: server.url, metricsUrl: server.metricsUrl });
