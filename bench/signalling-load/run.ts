import { type HasWsUrl, type ServerStats, startInstrumentedServer, TestClient } from '@conclave/testkit';

/*
 * bench/signalling-load: N concurrent signalling connections on one node (default 1,000). Each
 * socket greets and joins; pairs share a meeting (P2P, so the server carries signalling only). All
 * served = every socket joined, every pair's chat message delivered, and no socket dropped across
 * two heartbeat intervals. Memory per connection = server RSS and heap (after a full GC) with
 * everyone in, minus before, over N. Then everyone leaves and the figures go back to the start.
 * The server runs in a process of its own (startInstrumentedServer of @conclave/testkit).
 *
 *   flock /work/wt/heavy.lock npx tsx --conditions=source bench/signalling-load/run.ts --connections 1000
 */

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const connections = arg('connections', 1000);
const concurrency = arg('concurrency', 50);

// Every bench socket comes from 127.0.0.1, so the per-address limits are raised to let them in.
const server = await startInstrumentedServer({
  server: { host: '127.0.0.1', port: 0 },
  log: { level: 'silent' },
  media: { port: 0 },
  limits: { socketsPerAddress: connections + 10, joinBurst: 10_000, joinsPerMinute: 10_000 },
  signaling: { heartbeatSeconds: 5 },
});
const target: HasWsUrl = server;
const mib = (b: number) => (b / 2 ** 20).toFixed(1);
const show = (label: string, s: ServerStats) =>
  console.log(
    `${label}: rss ${mib(s.rssBytes)} MiB, heap ${mib(s.heapUsedBytes)} MiB, fds ${s.openFds}, ` +
      `timers ${s.timers}, tcp ${s.resources.TCPSocketWrap ?? 0}, rooms ${s.rooms}, participants ${s.participants}`,
  );

const base = await server.stats();
show('before', base);

const clients: TestClient[] = new Array(connections);
const joinedIds: string[] = new Array(connections);
const t0 = performance.now();
let nextIndex = 0;
async function worker() {
  for (;;) {
    const i = nextIndex++;
    if (i >= connections) return;
    const { client, joined } = await TestClient.join(target, `SignallingLoadRoom${Math.floor(i / 2)}`);
    clients[i] = client;
    joinedIds[i] = joined.self.id;
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const connectMs = performance.now() - t0;
console.log(
  `${connections} sockets greeted and joined in ${(connectMs / 1000).toFixed(1)} s (${concurrency} at a time)`,
);

const full = await server.stats();
show('everyone in', full);

// Every pair talks: the first of each pair sends, the second must receive it.
const t1 = performance.now();
for (let i = 0; i + 1 < connections; i += 2) {
  clients[i]?.send({ type: 'chat', body: { kind: 'text', text: `hello ${i}` } });
}
let delivered = 0;
await Promise.all(
  clients.map(async (c, i) => {
    if (i % 2 === 1) {
      const m = await c.next('chatMessage', 30_000);
      if (m.message.from === joinedIds[i - 1]) delivered++;
    }
  }),
);
const chatMs = performance.now() - t1;
console.log(
  `${delivered} of ${Math.floor(connections / 2)} chat messages delivered in ${chatMs.toFixed(0)} ms`,
);

// Two heartbeat intervals: nobody is dropped while idle.
await new Promise((r) => setTimeout(r, 11_000));
const dropped = clients.filter((c) => c.closeCode !== undefined).length;
const idle = await server.stats();
show('after 11 s idle', idle);
console.log(`dropped while idle: ${dropped}`);

for (const c of clients) c.close();
const deadline = Date.now() + 30_000;
let after = await server.stats();
while (
  (after.participants > 0 || (after.resources.TCPSocketWrap ?? 0) > (base.resources.TCPSocketWrap ?? 0)) &&
  Date.now() < deadline
) {
  await new Promise((r) => setTimeout(r, 500));
  after = await server.stats();
}
show('everyone gone', after);

const per = (a: number, b: number) => ((a - b) / connections / 1024).toFixed(1);
console.log(
  JSON.stringify({
    connections,
    connectSeconds: +(connectMs / 1000).toFixed(1),
    chatDelivered: delivered,
    chatMs: Math.round(chatMs),
    droppedIdle: dropped,
    rssPerConnectionKiB: +per(full.rssBytes, base.rssBytes),
    heapPerConnectionKiB: +per(full.heapUsedBytes, base.heapUsedBytes),
    rssAfterMiB: +mib(after.rssBytes),
    rssBeforeMiB: +mib(base.rssBytes),
    fdsBefore: base.openFds,
    fdsAfter: after.openFds,
    timersBefore: base.timers,
    timersAfter: after.timers,
  }),
);
await server.close();
