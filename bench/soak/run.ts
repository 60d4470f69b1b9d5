import { loadavg } from 'node:os';
import { type HasWsUrl, type ServerStats, startInstrumentedServer, TestClient } from '@conclave/testkit';
import { WrtcPeer } from '@conclave/testkit/wrtc';

/*
 * bench/soak: room churn with media for `--minutes` (default 20). A new meeting starts every
 * `--every` seconds and lives `--life` seconds: three @roamhq/wrtc participants join (the third
 * moves it to the SFU), publish 320×180 VP8 + Opus through it, and must each receive the others'
 * audio and video; then one leaves (back to P2P after 2 s, the SFU sessions drain) and the others
 * leave. Every fourth meeting has two people only (P2P, signalling only); in every third, one
 * participant vanishes without leaving (its TCP connection dropped, noticed by the heartbeat).
 *
 * The server runs in a process of its own (startInstrumentedServer of @conclave/testkit). Its RSS and heap after
 * a full GC, scheduled timers (unref'd included), open file descriptors, UDP sockets and SFU
 * sessions are sampled every minute and compared with the baseline taken after one warm-up
 * meeting, once everything has ended and drained. Inside a loopback-only namespace:
 *
 *   flock /work/wt/heavy.lock unshare -n bash -c 'ip link set lo up && npx tsx --conditions=source bench/soak/run.ts --minutes 20'
 */

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const minutes = arg('minutes', 20);
/** `--snapshots DIR`: heap snapshots of the server at the baseline and at the end, to compare. */
const snapshotDir = (() => {
  const i = process.argv.indexOf('--snapshots');
  return i >= 0 ? process.argv[i + 1] : undefined;
})();
const everySeconds = arg('every', 20);
const lifeSeconds = arg('life', 40);

const server = await startInstrumentedServer({
  server: { host: '127.0.0.1', port: 0 },
  log: { level: 'silent' },
  media: { port: 0 },
  p2p: { backToP2PDelay: 2 },
  limits: { socketsPerAddress: 500, joinBurst: 10_000, joinsPerMinute: 10_000 },
  signaling: { heartbeatSeconds: 2 },
});
const target: HasWsUrl = server;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (b: number) => (b / 2 ** 20).toFixed(1);
const t0 = Date.now();
const line = (label: string, s: ServerStats) =>
  console.log(
    `${label.padEnd(14)} t=${((Date.now() - t0) / 60_000).toFixed(1).padStart(5)} min  rss ${mib(s.rssBytes)} MiB  heap ${mib(s.heapUsedBytes)} MiB  ` +
      `fds ${s.openFds}  timers ${s.timers}  udp ${s.udpSockets}  sfu sessions ${s.sfuSessions}  rooms ${s.rooms}  people ${s.participants}  load ${loadavg()[0]?.toFixed(1)}`,
  );

interface Person {
  client: TestClient;
  id: string;
  peer: WrtcPeer;
  close(abruptly?: boolean): void;
}

async function joinPerson(room: string): Promise<Person> {
  const { client, joined } = await TestClient.join(target, room);
  const peer = new WrtcPeer({
    publish: {},
    decode: false,
    send: (s) => client.send({ type: 'mediaSignal', ...s }),
  });
  let open = true;
  void (async () => {
    while (open && client.closeCode === undefined) {
      const m = await client.next('mediaSignal', 5_000).catch(() => undefined);
      if (m) await peer.signal(m).catch(() => {});
    }
  })();
  return {
    client,
    id: joined.self.id,
    peer,
    close(abruptly = false) {
      open = false;
      peer.close();
      if (abruptly) client.kill();
      else client.close();
    },
  };
}

/** Each person receives audio and video packets from both others, within `ms`. */
async function mediaFlows(people: Person[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const ok = await Promise.all(
      people.map(async (p) => {
        const inbound = await p.peer.inboundRtp();
        const flowing = inbound.filter((s) => s.packetsReceived > 20);
        return (
          flowing.filter((s) => s.kind === 'video').length >= 2 &&
          flowing.filter((s) => s.kind === 'audio').length >= 2
        );
      }),
    );
    if (ok.every(Boolean)) return true;
    await sleep(500);
  }
  return false;
}

const outcome = { meetings: 0, sfuMeetings: 0, mediaOk: 0, mediaFailed: 0, vanished: 0, errors: 0 };

async function meeting(n: number): Promise<void> {
  const room = `SoakMeeting${n}x${Math.random().toString(36).slice(2, 8)}`;
  const three = n % 4 !== 3;
  const people: Person[] = [];
  try {
    for (let i = 0; i < (three ? 3 : 2); i++) {
      people.push(await joinPerson(room));
      await sleep(500);
    }
    if (three) {
      outcome.sfuMeetings++;
      if (await mediaFlows(people, 20_000)) outcome.mediaOk++;
      else outcome.mediaFailed++;
    }
    await sleep(Math.max(0, lifeSeconds * 600 - (three ? 5_000 : 0)));
    // One leaves (or vanishes), then the rest.
    const first = people.shift();
    const vanish = n % 3 === 2;
    if (vanish) outcome.vanished++;
    first?.close(vanish);
    await sleep(lifeSeconds * 400);
    for (const p of people) p.close();
    outcome.meetings++;
  } catch (err) {
    outcome.errors++;
    console.error(`meeting ${n}: ${err instanceof Error ? err.message : String(err)}`);
    for (const p of people) p.close();
  }
}

async function settle(): Promise<ServerStats> {
  const deadline = Date.now() + 60_000;
  let s = await server.stats();
  while ((s.participants > 0 || s.sfuSessions > 0 || s.rooms > 0) && Date.now() < deadline) {
    await sleep(1000);
    s = await server.stats();
  }
  // Past the SFU drain (10 s) and a heartbeat or two, so closing work has finished.
  await sleep(15_000);
  return server.stats();
}

// Warm-up: one meeting, so one-time allocations (JIT, the engine's threads) are in the baseline.
await meeting(-1);
let baseline = await settle();
line('baseline', baseline);
if (snapshotDir) {
  console.log(`snapshot ${await server.heapSnapshot(`${snapshotDir}/baseline.heapsnapshot`)}`);
  // Writing a snapshot grows RSS by tens of MiB that glibc keeps; the baseline includes them, so the
  // final figures (taken before the final snapshot) compare with like.
  baseline = await server.stats();
  line('baseline+snap', baseline);
}
Object.assign(outcome, { meetings: 0, sfuMeetings: 0, mediaOk: 0, mediaFailed: 0, vanished: 0, errors: 0 });

const running: Promise<void>[] = [];
const end = Date.now() + minutes * 60_000;
let n = 0;
let nextSample = Date.now() + 60_000;
const samples: ServerStats[] = [];
while (Date.now() < end) {
  running.push(meeting(n++));
  const until = Math.min(end, Date.now() + everySeconds * 1000);
  while (Date.now() < until) {
    if (Date.now() >= nextSample) {
      const s = await server.stats();
      samples.push(s);
      line('sample', s);
      nextSample += 60_000;
    }
    await sleep(Math.min(1000, Math.max(0, until - Date.now())));
  }
}
await Promise.all(running);
const final = await settle();
line('final', final);
if (snapshotDir) console.log(`snapshot ${await server.heapSnapshot(`${snapshotDir}/final.heapsnapshot`)}`);
const peak = (f: (s: ServerStats) => number) => Math.max(...samples.map(f));
console.log(
  JSON.stringify({
    minutes,
    ...outcome,
    baseline: {
      rssMiB: +mib(baseline.rssBytes),
      heapMiB: +mib(baseline.heapUsedBytes),
      fds: baseline.openFds,
      timers: baseline.timers,
      udp: baseline.udpSockets,
      sessions: baseline.sfuSessions,
    },
    peak: {
      rssMiB: +mib(peak((s) => s.rssBytes)),
      fds: peak((s) => s.openFds),
      timers: peak((s) => s.timers),
      sessions: peak((s) => s.sfuSessions),
      people: peak((s) => s.participants),
    },
    final: {
      rssMiB: +mib(final.rssBytes),
      heapMiB: +mib(final.heapUsedBytes),
      fds: final.openFds,
      timers: final.timers,
      udp: final.udpSockets,
      sessions: final.sfuSessions,
      rooms: final.rooms,
      people: final.participants,
    },
  }),
);
await server.close();
process.exit(0);
