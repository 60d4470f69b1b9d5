import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NdcBot } from '@conclave/testkit/ndc';
import { build } from 'esbuild';
import { startCapture } from './capture.js';
import { addedLatency } from './pcapLatency.js';

/*
 * bench/sfu-fanout --synthetic: like run.ts, but the bots are node-datachannel peers that send
 * synthetic VP8/Opus RTP (no encoder, no decoder), so one core of load drives the engine far
 * harder than @roamhq/wrtc bots, and every packet carries its send time for the added-latency
 * percentiles. They run none of the client's code on purpose: this measures the server alone. The engine runs in a child process pinned to core 0; this process (the bots) should
 * be pinned to core 1 by the caller.
 *
 *   unshare -n bash -c 'ip link set lo up && taskset -c 1 npx tsx bench/sfu-fanout/synthetic.ts --bots 21 --publishers 1 --video-pps 400'
 *
 * --simulcast 1: the engine asks for simulcast and publishers send three layers (packages/testkit/src/wrtc/NdcBot.ts).
 *
 * ENGINE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the engine process.
 */

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const bots = arg('bots', 21);
const publishers = arg('publishers', 1);
const videoPps = arg('video-pps', 400);
const audioPps = arg('audio-pps', 50);
const videoBytes = arg('video-bytes', 1000);
const tickMs = arg('tick-ms', 10);
const seconds = arg('seconds', 10);
const warmup = arg('warmup', 5);
// Simulcast: publishers send three layers; every other subscriber shows them in 180-pixel tiles
// (and gets the lowest layer), the rest at full size (the highest).
const simulcast = arg('simulcast', 0) === 1;
// --pcap FILE: also capture the measured window on lo and report the added latency by kernel
// timestamps (pcapLatency.ts). Needs tcpdump and root (it runs inside the test's namespace).
const pcapAt = process.argv.indexOf('--pcap');
const pcapPath = pcapAt >= 0 ? process.argv[pcapAt + 1] : undefined;
if (pcapPath && (publishers !== 1 || simulcast))
  throw new Error('--pcap needs --publishers 1 and no simulcast');

type Sample = {
  at: number;
  cpuMicros: number;
  stats: { rtpForwarded: number; rtpReceived: number; retransmitted: number; nacksReceived: number };
  rss: number;
  loopDelayMs: { p99: number; p999: number; max: number };
};

const engineArgs = (process.env.ENGINE_NODE_ARGS ?? '').split(' ').filter(Boolean);
// The engine runs as plain JavaScript, as `npm start` runs the server: under `--import tsx` the
// TypeScript loader's own thread and heap (its collections took up to 16 ms) would share the
// engine's one pinned core and show up as forwarding stalls that the server does not have. The
// bundle takes the workspace packages from their sources; it sits in node_modules so that the
// packages left outside it (the native addon, pino) resolve, and goes when the run ends.
const engineBundle = fileURLToPath(
  new URL('../../node_modules/.cache/conclave-bench/engine.mjs', import.meta.url),
);
await build({
  entryPoints: [fileURLToPath(new URL('./engine.ts', import.meta.url))],
  outfile: engineBundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  conditions: ['source'],
  external: ['node-datachannel', 'pino'],
  logLevel: 'warning',
});
const child = spawn(
  'taskset',
  ['-c', process.env.ENGINE_CPU ?? '0', process.execPath, ...engineArgs, engineBundle],
  {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_SIMULCAST: simulcast ? '1' : '0' },
  },
);
const peers = new Map<string, NdcBot>();
let sampleWaiter: ((s: Sample) => void) | undefined;
const ready = new Promise<void>((resolve) => {
  child.on('message', (m: { type: string; id?: string; signal?: never } & Sample) => {
    if (m.type === 'ready') resolve();
    else if (m.type === 'signal' && m.id) peers.get(m.id)?.signal(m.signal as never);
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
  const pub = i < publishers;
  peers.set(
    id,
    new NdcBot({
      videoPps: pub ? videoPps : 0,
      audioPps: pub ? audioPps : 0,
      videoBytes,
      tickMs,
      simulcast,
      send: (signal) => child.send({ type: 'signal', id, signal }),
    }),
  );
  child.send({ type: 'open', id });
  if (simulcast && i % 2 === 1) {
    const tiles = Array.from({ length: publishers }, (_, p) => ({ participantId: `bot${p}`, height: 180 }));
    child.send({ type: 'signal', id, signal: { videoConstraints: { tiles } } });
  }
  await new Promise((r) => setTimeout(r, 20));
}
await new Promise((r) => setTimeout(r, warmup * 1000));
const capture = pcapPath ? await startCapture(pcapPath) : undefined;
const c0 = counters();
const s0 = await sample();
await new Promise((r) => setTimeout(r, seconds * 1000));
const s1 = await sample();
const c1 = counters();
const captureReport = await capture?.stop();

const wall = (s1.at - s0.at) / 1000;
const cpu = (s1.cpuMicros - s0.cpuMicros) / 1e6 / wall;
const forwarded = (s1.stats.rtpForwarded - s0.stats.rtpForwarded) / wall;
const expected = c1.expected - c0.expected;
const got = c1.unique - c0.unique;
const lat = c1.latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  Number((lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? Number.NaN).toFixed(2));
console.log(
  JSON.stringify({
    bots,
    publishers,
    simulcast,
    subscriptions: publishers * (bots - 1) * 2,
    receivedPps: Math.round((s1.stats.rtpReceived - s0.stats.rtpReceived) / wall),
    forwardedPps: Math.round(forwarded),
    serverCpuCore: Number((cpu * 100).toFixed(1)),
    usPerForwardedPacket: Number(((cpu * 1e6) / Math.max(forwarded, 1)).toFixed(2)),
    forwardedPpsPerCore: Math.round(forwarded / Math.max(cpu, 1e-6)),
    inboundStreams: c1.streams,
    lossPercent: Number(((100 * Math.max(0, expected - got)) / Math.max(1, expected)).toFixed(3)),
    retransmittedPps: Math.round((s1.stats.retransmitted - s0.stats.retransmitted) / wall),
    latencyMs: { p50: pct(0.5), p90: pct(0.9), p99: pct(0.99), max: pct(1), samples: lat.length },
    // Over the measured window only (the engine resets it at each sample); the 1 ms resolution adds up to 1 ms.
    engineLoopDelayMs: {
      p99: Number(s1.loopDelayMs.p99.toFixed(2)),
      p999: Number(s1.loopDelayMs.p999.toFixed(2)),
      max: Number(s1.loopDelayMs.max.toFixed(2)),
    },
    rssMiBPerParticipant: Number(((s1.rss - before.rss) / bots / 2 ** 20).toFixed(2)),
    ...(pcapPath ? { kernelAddedLatencyMs: kernelLatency(pcapPath, captureReport ?? null) } : {}),
  }),
);
for (const p of peers.values()) p.close();
child.send({ type: 'exit' });
setTimeout(() => {
  rmSync(engineBundle, { force: true });
  process.exit(0);
}, 1500);

function counters() {
  let unique = 0;
  let expected = 0;
  let streams = 0;
  const latencies: number[] = [];
  for (const p of peers.values()) {
    const c = p.takeCounters();
    unique += c.unique;
    expected += c.expected;
    streams += c.streams;
    for (const l of c.latencies) latencies.push(l);
  }
  return { unique, expected, streams, latencies };
}

function kernelLatency(path: string, dropped: number | null) {
  const { samples, unmatched } = addedLatency(path);
  const at = (p: number) =>
    Number((samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? Number.NaN).toFixed(3));
  return {
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    p999: at(0.999),
    max: at(1),
    samples: samples.length,
    unmatched,
    droppedByCapture: dropped,
  };
}
