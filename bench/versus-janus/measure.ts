import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCapture } from '../sfu-fanout/capture.js';
import { addedLatency } from '../sfu-fanout/pcapLatency.js';
import { type Bot, mergeCounters } from './Bot.js';
import { coreTicks, udpCounters } from './kernel.js';
import { type Profile, perfRecord, perfReport } from './perf.js';
import { sampleProcess } from './proc.js';
import { type MediaShape, published } from './rtp.js';
import {
  allFlowing,
  draining,
  fanOut,
  type Scenario,
  sourceMap,
  startBots,
  subscribingBots,
} from './scenario.js';
import { type ServerSpec, startServer } from './servers.js';

/*
 * One run: a fresh server pinned to its core, the scenario's bots, a warm-up, then two windows.
 * The first (no capture) gives the server's CPU per forwarded packet, the loss and the bots'
 * end-to-end latency; the second runs tcpdump for the SFU's added latency by kernel timestamps
 * (the capture adds kernel work to every send, so CPU is not read there). Everything the run
 * started is stopped in `finally`, also when it fails.
 */

export interface RunOptions {
  /** The media of every publisher; the video rate is the scenario's. */
  shape: Omit<MediaShape, 'videoPps'>;
  /** Core of the server; the bots run where the caller pinned this process. */
  core: number;
  /** The server's nice value (see ServerOptions). */
  nice: number;
  address: string;
  maxVideoBitrate: number;
  warmupSeconds: number;
  seconds: number;
  /** 0: no capture window. */
  pcapSeconds: number;
  /**
   * If set, a last window records the server with `perf record -g` into this directory, and
   * perf.ts writes a text report beside each recording (Conclave then runs with --perf-basic-prof).
   */
  perfDir?: string;
}

export interface RunFigures {
  /** The server's id (`conclave`, `janus`, `janus:N`) and its name in the table. */
  server: string;
  label: string;
  scenario: string;
  /** Each publisher's video packets/s, as asked. */
  videoPps: number;
  /** Subscribers that drained (see SyntheticPeer) instead of counting; 0: all counted. */
  drained: number;
  /**
   * RTP packets/s the subscribers received (unique; RTCP and resends not counted); with draining
   * subscribers, the server's datagrams/s by the kernel's counters (`kernelPps`).
   */
  forwardedPps: number;
  /** The server's datagrams/s by the namespace's UDP counters (kernel.ts). */
  kernelPps: number;
  /** What the publishers actually sent times the fan-out: what a server keeping up would send. */
  offeredPps: number;
  /** kernelPps / offeredPps, %: below 100, the server sent fewer copies than it was given. */
  deliveredPercent: number;
  /** Datagrams/s dropped at full socket buffers (the server's or the bots'). */
  receiveBufferDropsPs: number;
  /** The server's core busy, all processes on it (other helpers' work included), %. */
  coreBusyPercent: number;
  /** Server CPU, percent of one core, all threads. */
  cpuPercent: number;
  /** CPU of the bots' process (all on one core), percent: near 100, the bots bound the run, not the server. */
  botCpuPercent: number;
  usPerPacket: number;
  /** 1 s of CPU / µs per forwarded packet: extrapolated, at this scenario's fan-out. */
  saturationPps: number;
  lossPercent: number;
  /** The SFU's added latency (kernel timestamps), ms. */
  kernelP50: number;
  kernelP99: number;
  /** Bot send → bot receive, ms (includes the bots' own scheduling). */
  botP50: number;
  botP99: number;
  /**
   * (RSS with the scenario − RSS with the primer call) / (subscribing bots − the primer's one), each
   * RSS less V8's young generation (Conclave; see gcOnSignal.mjs).
   */
  rssPerSubscriberMiB: number;
  /** V8's young generation, resident, at the two memory readings (Conclave; Janus 0), MiB. */
  youngMiB: [number, number];
  /** The server's RSS during the primer call (1 → 1) and with the scenario's bots, MiB, after GC. */
  rssBaseMiB: number;
  rssMiB: number;
  threads: number;
  /** The --perf window's self time by category (perf.ts), % of the server process. */
  profile?: Profile;
  /** Capture: matched packets, unmatched ones, and packets the capture lost. */
  capture?: { samples: number; unmatched: number; dropped: number | null };
}

const PRIMER: Scenario = {
  label: 'primer',
  publishers: 1,
  subscribers: 1,
  mesh: false,
  videoPps: 300,
  counted: Number.POSITIVE_INFINITY,
};
const PRIMER_MS = 3000;
const IDLE_SETTLE_MS = 2000;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;

export async function measure(
  spec: ServerSpec,
  scenario: Scenario,
  options: RunOptions,
): Promise<RunFigures> {
  const server = await startServer(spec, {
    core: options.core,
    nice: options.nice,
    address: options.address,
    maxVideoBitrate: options.maxVideoBitrate,
    publishers: Math.max(scenario.publishers, 2),
    perfMap: options.perfDir !== undefined,
  });
  const bots: Bot[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'conclave-versus-pcap-'));
  let capture: { stop(): Promise<number | null> } | undefined;
  let done: Promise<void> | undefined;
  const cleanup = () => {
    done ??= (async () => {
      for (const bot of bots) bot.close();
      await capture?.stop();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    })();
    return done;
  };
  live.add(cleanup);
  try {
    const shape = { ...options.shape, videoPps: scenario.videoPps };
    // The memory baseline is a short call (one publisher, one subscriber) with its media flowing,
    // read after a full GC (Conclave; never inside the CPU window), like the loaded figure below:
    // both are then read in the same state (compiled code, allocator pools, V8's heap sized for a
    // serving process), and RSS per subscriber is the marginal cost of the scenario's other
    // subscribers. A baseline read idle, after the call left, came out above the loaded figure in
    // some runs (V8 and malloc return memory on their own schedule), so per subscriber went negative.
    await startBots(server, PRIMER, shape, options.address, bots);
    await allFlowing(bots, PRIMER, 30_000);
    await pause(PRIMER_MS);
    const baseYoung = await server.collectGarbage();
    const base = sampleProcess(server.pid);
    for (const bot of bots.splice(0)) bot.close();
    await pause(IDLE_SETTLE_MS);
    await startBots(server, scenario, shape, options.address, bots);
    await allFlowing(bots, scenario, 60_000);
    await pause(options.warmupSeconds * 1000);

    const c0 = mergeCounters(bots.map((b) => b.counters()));
    const k0 = udpCounters();
    const sent0 = published.packets;
    const core0 = coreTicks(options.core);
    const p0 = sampleProcess(server.pid);
    const b0 = sampleProcess(process.pid);
    await pause(options.seconds * 1000);
    const p1 = sampleProcess(server.pid);
    const b1 = sampleProcess(process.pid);
    const core1 = coreTicks(options.core);
    const sent1 = published.packets;
    const k1 = udpCounters();
    const c1 = mergeCounters(bots.map((b) => b.counters()));
    const young = await server.collectGarbage();
    const memory = sampleProcess(server.pid);

    let kernel: { samples: number[]; unmatched: number } = { samples: [], unmatched: 0 };
    let dropped: number | null = null;
    if (options.pcapSeconds > 0) {
      const pcap = join(dir, 'window.pcap');
      capture = await startCapture(pcap);
      await pause(options.pcapSeconds * 1000);
      dropped = await capture.stop();
      capture = undefined;
      kernel = addedLatency(pcap, { isServerPort: server.isMediaPort, sourceOf: sourceMap(bots) });
    }

    let profile: Profile | undefined;
    if (options.perfDir) {
      mkdirSync(options.perfDir, { recursive: true });
      // One recording per run: a repetition's gets a suffix instead of replacing the first's.
      const name = `${slug(spec.id)}-${slug(scenario.label)}`;
      let file = join(options.perfDir, `${name}.data`);
      for (let n = 2; existsSync(file); n++) file = join(options.perfDir, `${name}-${n}.data`);
      const perfCpu0 = sampleProcess(server.pid);
      await perfRecord(options.core, file, options.seconds);
      const perfCpu1 = sampleProcess(server.pid);
      // The server's CPU during the recording, to compare with the window above (what perf costs).
      const perfCpu = (100 * (perfCpu1.cpu - perfCpu0.cpu)) / (perfCpu1.at - perfCpu0.at);
      profile = await perfReport(
        file,
        server.pid,
        `${spec.label}, ${scenario.label}: server CPU ${perfCpu.toFixed(1)} % of one core during the recording`,
      );
    }

    const wall = p1.at - p0.at;
    const cpu = (p1.cpu - p0.cpu) / wall;
    const received = c1.unique - c0.unique;
    const expected = c1.expected - c0.expected;
    const kernelPps = (k1.sent - k0.sent - (sent1 - sent0)) / wall;
    const offeredPps = ((sent1 - sent0) / wall) * fanOut(scenario);
    const drained = draining(scenario) ? scenario.subscribers - scenario.counted : 0;
    const forwardedPps = drained ? kernelPps : received / wall;
    const usPerPacket = (cpu * 1e6) / Math.max(forwardedPps, 1);
    const bot = c1.latencies.sort((a, b) => a - b);
    return {
      server: spec.id,
      label: spec.label,
      scenario: scenario.label,
      videoPps: scenario.videoPps,
      drained,
      forwardedPps: Math.round(forwardedPps),
      kernelPps: Math.round(kernelPps),
      offeredPps: Math.round(offeredPps),
      deliveredPercent: round((100 * kernelPps) / Math.max(1, offeredPps), 1),
      receiveBufferDropsPs: Math.round((k1.receiveBufferDrops - k0.receiveBufferDrops) / wall),
      coreBusyPercent: round((100 * (core1.busy - core0.busy)) / Math.max(1, core1.total - core0.total), 1),
      cpuPercent: round(cpu * 100, 1),
      botCpuPercent: round(((b1.cpu - b0.cpu) / (b1.at - b0.at)) * 100, 1),
      usPerPacket: round(usPerPacket, 2),
      saturationPps: Math.round(1e6 / usPerPacket),
      // No subscriber counting (--drain 0): no loss by sequence numbers (NaN, null in JSON).
      lossPercent: expected > 0 ? round((100 * Math.max(0, expected - received)) / expected, 3) : Number.NaN,
      kernelP50: round(percentile(kernel.samples, 0.5), 3),
      kernelP99: round(percentile(kernel.samples, 0.99), 3),
      botP50: round(percentile(bot, 0.5), 3),
      botP99: round(percentile(bot, 0.99), 3),
      rssPerSubscriberMiB: round(
        (memory.rssBytes - young - (base.rssBytes - baseYoung)) /
          Math.max(1, subscribingBots(scenario) - 1) /
          2 ** 20,
        3,
      ),
      youngMiB: [round(baseYoung / 2 ** 20, 1), round(young / 2 ** 20, 1)],
      rssBaseMiB: round(base.rssBytes / 2 ** 20, 1),
      rssMiB: round(memory.rssBytes / 2 ** 20, 1),
      threads: memory.threads,
      ...(profile ? { profile } : {}),
      ...(options.pcapSeconds > 0
        ? { capture: { samples: kernel.samples.length, unmatched: kernel.unmatched, dropped } }
        : {}),
    };
  } catch (err) {
    throw new Error(
      `${spec.id}, ${scenario.label}: ${(err as Error).message}\n${server.output().slice(-3000)}`,
    );
  } finally {
    live.delete(cleanup);
    await cleanup();
  }
}

/** Runs in progress, for a signal handler to stop (bots, capture, server, temp files). */
const live = new Set<() => Promise<void>>();

export async function stopAllRuns(): Promise<void> {
  await Promise.all([...live].map((cleanup) => cleanup()));
}

const slug = (label: string) => label.replace(/\W+/g, '-').replace(/^-|-$/g, '');

const round = (x: number, digits: number) => Number(x.toFixed(digits));
