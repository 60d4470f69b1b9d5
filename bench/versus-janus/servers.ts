import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJanusConfig } from './janusConfig.js';

/*
 * The two servers under test, each started pinned to one core (`taskset -c`, which execs, so the
 * child's pid is the server's and /proc/<pid>/stat covers all its threads), with what both need
 * to be comparable: one VP8 + Opus stream per publisher, no simulcast, the same bitrate cap, media
 * on `address` only. Both are stopped by `stop()`, with SIGKILL if they do not end in 5 s.
 */

export type ServerKind = 'conclave' | 'janus';

/**
 * `conclave`, `janus` (Janus's default: a thread and event loop per handle), or `janus:N` (Janus's
 * `event_loops = N`: N shared loops, fewer threads and context switches).
 */
export interface ServerSpec {
  id: string;
  kind: ServerKind;
  label: string;
  eventLoops: number;
}

export function parseServer(id: string): ServerSpec {
  if (id === 'conclave') return { id, kind: 'conclave', label: 'Conclave', eventLoops: 0 };
  const loops = /^janus(?::(\d+))?$/.exec(id);
  if (!loops) throw new Error(`unknown server ${id}: conclave, janus or janus:N`);
  const eventLoops = Number(loops[1] ?? 0);
  return { id, kind: 'janus', label: eventLoops ? `Janus, event_loops ${eventLoops}` : 'Janus', eventLoops };
}

export interface ServerUnderTest {
  kind: ServerKind;
  pid: number;
  /** Conclave: its WebSocket /ws; Janus: its WebSocket API. */
  wsUrl: string;
  /** Whether a UDP port is one of the server's media ports (to read a capture). */
  isMediaPort(port: number): boolean;
  /**
   * Conclave: a full GC (gcOnSignal.mjs) before memory is read, resolving to the resident bytes of
   * V8's young generation (see gcOnSignal.mjs); Janus has no garbage to collect: 0.
   */
  collectGarbage(): Promise<number>;
  /** What the server printed (shown when something fails). */
  output(): string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  core: number;
  /** The address media binds to (Janus needs a non-loopback interface, see janusConfig.ts). */
  address: string;
  maxVideoBitrate: number;
  /** Most publishers in one room. */
  publishers: number;
  /**
   * The server's nice value (0: as started): on a shared machine a negative one keeps other
   * processes that land on its core from capping it, so a saturation ramp finds the server's limit.
   */
  nice: number;
  /**
   * Conclave with --perf-basic-prof (V8 writes /tmp/perf-<pid>.map, so perf names JavaScript
   * frames; removed when the server stops). Janus needs nothing: its symbols are in its binaries.
   */
  perfMap: boolean;
}

/** `taskset -c core [nice -n N] command…` (both exec: the child's pid is the server's). */
const pinned = (options: ServerOptions, command: string[]) => [
  '-c',
  String(options.core),
  ...(options.nice ? ['nice', '-n', String(options.nice)] : []),
  ...command,
];

const CONCLAVE_HTTP_PORT = 18_080;
const CONCLAVE_MEDIA_PORT = 10_000;
const JANUS_WS_PORT = 18_188;
const JANUS_RTP_PORTS = [20_000, 20_999] as const;
const GC_SETTLE_MS = 500;
const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Servers not stopped yet, for a signal handler to stop. */
const live = new Set<() => Promise<void>>();

export async function stopAllServers(): Promise<void> {
  await Promise.all([...live].map((stop) => stop()));
}

export function startServer(spec: ServerSpec, options: ServerOptions): Promise<ServerUnderTest> {
  return spec.kind === 'conclave' ? startConclave(options) : startJanus(options, spec.eventLoops);
}

/** Conclave as `npm start` runs it: the built server (run.sh builds it), from a config file. */
async function startConclave(options: ServerOptions): Promise<ServerUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'conclave-versus-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Conclave</title>');
  const configFile = join(dir, 'conclave.json');
  const heapFile = join(dir, 'heap.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      server: { host: '127.0.0.1', port: CONCLAVE_HTTP_PORT },
      log: { level: 'warn' },
      web: { dir },
      // Two bots are an SFU meeting too, as in Janus; every bot joins from the same address.
      p2p: { enabled: false },
      // Every bot comes from one address: the per-address limits would refuse the 51st socket.
      limits: { joinsPerMinute: 10_000, joinBurst: 10_000, socketsPerAddress: 10_000 },
      media: {
        port: CONCLAVE_MEDIA_PORT,
        bindAddress: options.address,
        simulcast: false,
        maxVideoBitrate: options.maxVideoBitrate,
      },
    }),
  );
  const child = spawn(
    'taskset',
    pinned(options, [
      process.execPath,
      '--expose-gc',
      ...(options.perfMap ? ['--perf-basic-prof'] : []),
      '--import',
      fileURLToPath(new URL('./gcOnSignal.mjs', import.meta.url)),
      join(REPO, 'packages/server/dist/main.js'),
      '--config',
      configFile,
    ]),
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, VERSUS_JANUS_HEAP_FILE: heapFile },
    },
  );
  return running('conclave', child, {
    heapFile,
    wsUrl: `ws://127.0.0.1:${CONCLAVE_HTTP_PORT}/ws`,
    tcpPort: CONCLAVE_HTTP_PORT,
    isMediaPort: (port) => port === CONCLAVE_MEDIA_PORT,
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
      if (options.perfMap) rmSync(`/tmp/perf-${child.pid}.map`, { force: true });
    },
  });
}

async function startJanus(options: ServerOptions, eventLoops: number): Promise<ServerUnderTest> {
  const config = writeJanusConfig({
    eventLoops,
    address: options.address,
    wsPort: JANUS_WS_PORT,
    rtpPorts: JANUS_RTP_PORTS,
    publishers: options.publishers,
    bitrate: options.maxVideoBitrate,
  });
  const child = spawn(
    'taskset',
    pinned(options, ['janus', '-C', config.coreFile, '-F', join(config.dir, 'conf'), '-o']),
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const [low, high] = JANUS_RTP_PORTS;
  return running('janus', child, {
    wsUrl: `ws://127.0.0.1:${JANUS_WS_PORT}`,
    tcpPort: JANUS_WS_PORT,
    isMediaPort: (port) => port >= low && port <= high,
    cleanup: config.remove,
  });
}

async function running(
  kind: ServerKind,
  child: ChildProcess,
  how: {
    wsUrl: string;
    tcpPort: number;
    heapFile?: string;
    isMediaPort(port: number): boolean;
    cleanup(): void;
  },
): Promise<ServerUnderTest> {
  let output = '';
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    live.delete(stop);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    how.cleanup();
  };
  live.add(stop);
  try {
    await listening(how.tcpPort, child);
  } catch (err) {
    await stop();
    throw new Error(`${kind} did not start: ${(err as Error).message}\n${output}`);
  }
  return {
    kind,
    pid: child.pid ?? -1,
    wsUrl: how.wsUrl,
    isMediaPort: how.isMediaPort,
    collectGarbage: async () => {
      if (!how.heapFile) return 0;
      rmSync(how.heapFile, { force: true });
      // Twice: what the first collection frees (dead weak references, flushed code) the second returns.
      for (let i = 0; i < 2; i++) {
        child.kill('SIGUSR2');
        await new Promise((r) => setTimeout(r, GC_SETTLE_MS));
      }
      return (JSON.parse(readFileSync(how.heapFile, 'utf8')) as { youngBytes: number }).youngBytes;
    },
    output: () => output,
    stop,
  };
}

/** Waits until the server accepts TCP connections on its signalling port. */
async function listening(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error('not listening after 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}
