import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WrtcPeer } from '@conclave/testkit/wrtc';

/*
 * bench/sfu-fanout: N @roamhq/wrtc bots join one SFU router, each running the web client's SFU
 * path (`SfuSession`, through the testkit's WrtcPeer); `--publishers P` of them publish (VP8 +
 * Opus) and everyone subscribes to every publisher without decoding, so the load generator stays
 * cheap. The engine runs in a child process pinned to core 0 (the bots use the rest); we
 * sample its CPU time and counters over a steady-state window.
 *
 *   unshare -n bash -c 'ip link set lo up && taskset -c 1 npx tsx --conditions=source bench/sfu-fanout/run.ts --bots 21 --publishers 1 --seconds 15'
 */

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const bots = arg('bots', 11);
const publishers = arg('publishers', 1);
const seconds = arg('seconds', 15);
const warmup = arg('warmup', 8);

type Sample = {
  at: number;
  cpuMicros: number;
  stats: {
    rtpForwarded: number;
    rtpReceived: number;
    retransmitted: number;
    nacksReceived: number;
    sessions: number;
  };
  rss: number;
  heap: number;
};

const child = spawn(
  'taskset',
  [
    '-c',
    '0',
    process.execPath,
    // The engine imports the workspace packages by name: from their sources, no build needed.
    '--conditions=source',
    '--import',
    'tsx',
    fileURLToPath(new URL('./engine.ts', import.meta.url)),
  ],
  {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  },
);
const peers = new Map<string, WrtcPeer>();
let sampleWaiter: ((s: Sample) => void) | undefined;
const ready = new Promise<void>((resolve) => {
  child.on('message', (m: { type: string; id?: string; signal?: never } & Sample) => {
    if (m.type === 'ready') resolve();
    else if (m.type === 'signal' && m.id)
      void peers
        .get(m.id)
        ?.signal(m.signal as never)
        .catch(() => {});
    else if (m.type === 'sample') sampleWaiter?.(m);
  });
});
const sample = () =>
  new Promise<Sample>((resolve) => {
    sampleWaiter = resolve;
    child.send({ type: 'sample' });
  });

await ready;
const before = await sample();
for (let i = 0; i < bots; i++) {
  const id = `bot${i}`;
  const publish = i < publishers ? { width: 640, height: 360, fps: 30 } : undefined;
  peers.set(
    id,
    new WrtcPeer({
      ...(publish ? { publish } : {}),
      decode: false,
      send: (signal) => child.send({ type: 'signal', id, signal }),
    }),
  );
  child.send({ type: 'open', id });
  await new Promise((r) => setTimeout(r, 50));
}
await new Promise((r) => setTimeout(r, warmup * 1000));
const startLoss = await lossTotals();
const s0 = await sample();
await new Promise((r) => setTimeout(r, seconds * 1000));
const s1 = await sample();
const endLoss = await lossTotals();

const wall = (s1.at - s0.at) / 1000;
const cpu = (s1.cpuMicros - s0.cpuMicros) / 1e6 / wall;
const forwarded = (s1.stats.rtpForwarded - s0.stats.rtpForwarded) / wall;
const received = (s1.stats.rtpReceived - s0.stats.rtpReceived) / wall;
const lost = endLoss.lost - startLoss.lost;
const got = endLoss.received - startLoss.received;
const result = {
  bots,
  publishers,
  subscriptions: publishers * (bots - 1),
  receivedPps: Math.round(received),
  forwardedPps: Math.round(forwarded),
  serverCpuCore: Number((cpu * 100).toFixed(1)),
  forwardedPpsPerCore: Math.round(forwarded / Math.max(cpu, 1e-6)),
  usPerForwardedPacket: Number(((cpu * 1e6) / Math.max(forwarded, 1)).toFixed(2)),
  lossPercent: Number(((100 * lost) / Math.max(1, lost + got)).toFixed(3)),
  retransmittedPps: Math.round((s1.stats.retransmitted - s0.stats.retransmitted) / wall),
  rssMiBPerParticipant: Number(((s1.rss - before.rss) / bots / 2 ** 20).toFixed(2)),
};
console.log(JSON.stringify(result));
for (const p of peers.values()) p.close();
child.send({ type: 'exit' });
setTimeout(() => process.exit(0), 500);

async function lossTotals(): Promise<{ lost: number; received: number }> {
  let lost = 0;
  let received = 0;
  for (const p of peers.values()) {
    for (const s of await p.inboundRtp()) {
      lost += Math.max(0, s.packetsLost);
      received += s.packetsReceived;
    }
  }
  return { lost, received };
}
