import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ConfigInput } from '@conclave/server';
import type { ServerStats } from './instrumentedServerMain.js';

export type { ServerStats };

/*
 * For benches: the real server in a child process that reports its own figures (instrumentedServerMain):
 * RSS and heap after a full GC, active timers and handles, open file descriptors, UDP sockets and
 * SFU sessions. A bench measures the server, not itself, so the server never shares its process.
 */

const MAIN = fileURLToPath(new URL('./instrumentedServerMain.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface InstrumentedServer {
  url: string;
  wsUrl: string;
  pid: number;
  stats(): Promise<ServerStats>;
  /** Writes a V8 heap snapshot of the server (after a full GC) to `path`; resolves to the path written. */
  heapSnapshot(path: string): Promise<string>;
  close(): Promise<void>;
}

export async function startInstrumentedServer(config: ConfigInput): Promise<InstrumentedServer> {
  const execArgv = ['--expose-gc', '--conditions=source', '--import', TSX];
  const child: ChildProcess = fork(MAIN, [JSON.stringify(config)], { execArgv, stdio: 'inherit' });
  let next = 0;
  const waiting = new Map<number, (reply: Record<string, unknown>) => void>();
  const ready = new Promise<{ url: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
    child.on('message', (m: Record<string, unknown>) => {
      if (m.ready) resolve(m as { url: string });
      else waiting.get(m.id as number)?.(m);
    });
  });
  const ask = (what: 'stats' | 'close' | 'snapshot', path?: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      child.send({ id, ask: what, path });
    });
  const { url } = await ready;
  return {
    url,
    wsUrl: `${url.replace('http', 'ws')}/ws`,
    pid: child.pid ?? -1,
    stats: async () => (await ask('stats')).stats as ServerStats,
    heapSnapshot: async (path) => (await ask('snapshot', path)).path as string,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      await Promise.race([ask('close'), new Promise((r) => setTimeout(r, 10_000))]);
      child.kill('SIGKILL');
      await exited;
    },
  };
}
