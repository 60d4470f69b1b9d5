import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freeTcpPort } from '../net/ports.js';

/*
 * A real redis-server (Debian's) for tests: on a free loopback port, with a temp directory and no
 * persistence, so a restart loses every key as a real restart without persistence does. `stop()`
 * kills it like a crash and `start()` brings up an empty one on the same port.
 */

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  /** The server's process id (for CPU accounting in benches), undefined while stopped. */
  readonly pid: number | undefined;
  /** SIGKILL; resolves once the process is gone. */
  stop(): Promise<void>;
  /** A fresh, empty server on the same port. */
  start(): Promise<void>;
  /** Every key with every value (strings, hash fields and values, set and sorted-set members). */
  dump(): Promise<Record<string, string[]>>;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? 'redis-server';

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'conclave-redis-'));
  const port = await freeTcpPort();
  let child: ChildProcess | undefined;

  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    const proc = spawn(
      REDIS_SERVER,
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        output += String(d);
        if (output.includes('Ready to accept connections')) resolve();
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', onData);
      proc.once('error', (err) =>
        reject(
          new Error(
            `redis-server could not start (${err.message}); install it: apt-get install redis-server`,
          ),
        ),
      );
      proc.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    });
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  };

  await start();
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    port,
    get pid() {
      return child?.pid;
    },
    start,
    stop,
    async dump() {
      const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      try {
        const out: Record<string, string[]> = {};
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
          cursor = next;
          for (const key of keys) {
            const type = await redis.type(key);
            if (type === 'string') out[key] = [String(await redis.get(key))];
            else if (type === 'hash') out[key] = Object.entries(await redis.hgetall(key)).flat();
            else if (type === 'zset') out[key] = await redis.zrange(key, 0, -1);
            else if (type === 'set') out[key] = await redis.smembers(key);
            else if (type === 'list') out[key] = await redis.lrange(key, 0, -1);
            else out[key] = [`<${type}>`];
          }
        } while (cursor !== '0');
        return out;
      } finally {
        redis.disconnect();
      }
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
