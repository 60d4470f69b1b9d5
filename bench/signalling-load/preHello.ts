import { type ServerStats, startInstrumentedServer } from '@conclave/testkit';
import { WebSocket } from 'ws';

/*
 * bench/signalling-load/preHello: the memory attack of issue 17, finding 1. `--sockets` sockets that
 * never say `hello` each trickle one fragmented message of `--megabytes` (16 KiB fragments every
 * `--interval` ms, never the final one). Reports the server's RSS (after GC) before, its peak while
 * they send, and after they are gone, and how the server ended the sockets (close codes).
 *
 * `--before 1` passes only configuration keys that existed before the fix, so the same bench runs
 * against the old server (the sockets then all come from one address, as they do here anyway);
 * preHelloBefore.sh sets up that server's tree and runs it there.
 *
 *   flock /work/wt/heavy.lock npx tsx --conditions=source bench/signalling-load/preHello.ts --sockets 150
 *   flock /work/wt/heavy.lock bash bench/signalling-load/preHelloBefore.sh --sockets 150
 */

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const sockets = arg('sockets', 150);
const megabytes = arg('megabytes', 3.75);
const intervalMs = arg('interval', 50);
const before = arg('before', 0) === 1;
const FRAGMENT = 16 * 1024;

const server = await startInstrumentedServer({
  server: { host: '127.0.0.1', port: 0 },
  log: { level: 'silent' },
  media: { port: 0 },
  // The attack came from many addresses; all of these come from 127.0.0.1, so the per-address cap
  // would stop it early here. Raised, to measure what each socket can still cost.
  ...(before ? {} : { limits: { socketsPerAddress: sockets + 10 } }),
});
const mib = (b: number) => (b / 2 ** 20).toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const base = await server.stats();

const closes = new Map<number, number>();
const opened: WebSocket[] = [];
const fragments = Math.ceil((megabytes * 2 ** 20) / FRAGMENT);
const chunk = Buffer.alloc(FRAGMENT, 0x61);
await Promise.all(
  Array.from({ length: sockets }, async () => {
    const socket = new WebSocket(server.wsUrl);
    opened.push(socket);
    socket.on('error', () => {});
    socket.on('close', (code) => closes.set(code, (closes.get(code) ?? 0) + 1));
    await new Promise((resolve) => {
      socket.once('open', resolve);
      socket.once('close', resolve);
    });
  }),
);
const started = Date.now();
let peak: ServerStats = base;
let sent = 0;
for (let i = 0; i < fragments; i++) {
  for (const socket of opened) {
    if (socket.readyState !== socket.OPEN) continue;
    socket.send(chunk, { fin: false, binary: true });
    sent += FRAGMENT;
  }
  await sleep(intervalMs);
  if (i % 10 === 0) {
    const s = await server.stats();
    if (s.rssBytes > peak.rssBytes) peak = s;
  }
  if (opened.every((s) => s.readyState !== s.OPEN)) break;
}
const sendingSeconds = (Date.now() - started) / 1000;
for (const socket of opened) socket.terminate();
await sleep(2000);
const after = await server.stats();
console.log(
  JSON.stringify({
    before,
    sockets,
    megabytesPerSocket: megabytes,
    sentMiB: +mib(sent),
    sendingSeconds: +sendingSeconds.toFixed(1),
    closeCodes: Object.fromEntries(closes),
    rssMiB: { base: +mib(base.rssBytes), peak: +mib(peak.rssBytes), after: +mib(after.rssBytes) },
    heapMiB: {
      base: +mib(base.heapUsedBytes),
      peak: +mib(peak.heapUsedBytes),
      after: +mib(after.heapUsedBytes),
    },
    externalMiB: { peak: +mib(peak.externalBytes) },
  }),
);
await server.close();
