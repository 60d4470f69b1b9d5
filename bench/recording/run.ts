import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fillerVp8, ivfVp8, SyntheticPublisher, type Tap } from '@conclave/testkit/rtp';
import { createLogger } from '../../packages/server/src/log/logger.js';
import { systemClock } from '../../packages/server/src/recording/Clock.js';
import { composeArgs } from '../../packages/server/src/recording/compose.js';
import { type JobRecord, JobStore } from '../../packages/server/src/recording/JobStore.js';
import { HOUR_MS } from '../../packages/server/src/recording/Retention.js';
import { RoomRecorder } from '../../packages/server/src/recording/RoomRecorder.js';
import type { MediaTap } from '../../packages/server/src/sfu/MediaEngine.js';

/*
 * Concurrent recordings per core. N three-person recordings run in this process, each fed by three
 * synthetic publishers (VP8 at 720p-like bitrate and 30 fps, Opus 20 ms) through the engine tap, as
 * the SFU hands RTP to the recorder: jitter buffer, VP8 depacketizing, WebM muxing (mediabunny),
 * file writes. The process's CPU time over a steady window, minus the generator's own cost
 * (measured alone first with a tap that drops everything), is the recorder's. Composition runs
 * after stop and is measured separately (`--compose`): ffmpeg's user+sys time for one 3-person
 * recording made from real VP8/Opus (encoded by Debian's ffmpeg first).
 *
 *   taskset -c 0 npx tsx bench/recording/run.ts --recordings 10 --seconds 20 --warmup 5
 *   taskset -c 0 npx tsx bench/recording/run.ts --compose --seconds 20
 */

const { values } = parseArgs({
  options: {
    recordings: { type: 'string', default: '10' },
    participants: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    kbps: { type: 'string', default: '2500' },
    compose: { type: 'boolean', default: false },
  },
});
const N = Number(values.recordings);
const P = Number(values.participants);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const KBPS = Number(values.kbps);
const FPS = 30;
const log = createLogger({ level: 'silent' });
const root = mkdtempSync(join(tmpdir(), 'conclave-bench-rec-'));
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function publishers(recording: number, video: () => ReturnType<ReturnType<typeof fillerVp8>>) {
  return Array.from(
    { length: P },
    (_, i) => new SyntheticPublisher(`r${recording}p${i}`, { fps: FPS, video, opusBytes: 100 }),
  );
}

/** Drives publishers in real time every 20 ms; returns CPU seconds and wall seconds of the window after warm-up. */
async function drive(all: { pubs: SyntheticPublisher[]; tap: Tap }[], seconds: number, warmup: number) {
  const lag = monitorEventLoopDelay({ resolution: 10 });
  let last = performance.now();
  const start = last;
  let window: { cpu: number; wall: number; packets: number } | undefined;
  const packets = () => all.reduce((s, r) => s + r.pubs.reduce((t, p) => t + p.packets, 0), 0);
  while (performance.now() - start < (warmup + seconds) * 1000) {
    await new Promise((r) => setTimeout(r, 20));
    const now = performance.now();
    for (const r of all) for (const p of r.pubs) p.advance(now - last, r.tap);
    last = now;
    if (!window && now - start >= warmup * 1000) {
      window = { cpu: cpu(), wall: now, packets: packets() };
      lag.enable();
    }
  }
  lag.disable();
  const w = window as NonNullable<typeof window>;
  return {
    cpu: cpu() - w.cpu,
    wall: (performance.now() - w.wall) / 1000,
    pps: (packets() - w.packets) / ((performance.now() - w.wall) / 1000),
    lagP99: lag.percentile(99) / 1e6,
  };
}

async function record(
  n: number,
  video: () => ReturnType<ReturnType<typeof fillerVp8>>,
  seconds: number,
  warmup: number,
) {
  const store = new JobStore(join(root, 'data'));
  await store.init();
  const recorders: RoomRecorder[] = [];
  const all: { pubs: SyntheticPublisher[]; tap: Tap }[] = [];
  for (let r = 0; r < n; r++) {
    const now = Date.now();
    const job: JobRecord = {
      version: 1,
      id: store.newId(),
      meetingId: `m${r}`,
      state: 'recording',
      createdAt: now,
      endedAt: now,
      deadline: now + HOUR_MS,
      destination: { kind: 'local' },
      attempts: 0,
    };
    let tap: MediaTap | undefined;
    const recorder = new RoomRecorder(
      job,
      {
        meetingId: job.meetingId,
        destination: job.destination,
        tap: (t) => {
          tap = t;
          return { requestKeyframes: () => {}, close: () => {} };
        },
        notify: () => {},
        stopped: (why) => console.error(`recording ${r} stopped: ${why}`),
      },
      {
        store,
        clock: systemClock,
        log,
        retentionMs: HOUR_MS,
        maxDurationMs: 3_600_000,
        compose: false,
        ffmpegPath: 'ffmpeg',
        upload: () => {},
        ended: () => {},
      },
    );
    recorders.push(recorder);
    while (!tap) await new Promise((res) => setTimeout(res, 5));
    const t = tap as MediaTap;
    all.push({
      pubs: publishers(r, video),
      tap: (id, kind, packet, layer, keyframe) => t.rtp(id, kind, packet, layer, keyframe),
    });
  }
  const result = await drive(all, seconds, warmup);
  for (const r of recorders) r.stop();
  const jobs = await Promise.all(recorders.map((r) => r.done));
  return { result, store, jobs };
}

const bytesPerFrame = Math.round((KBPS * 1000) / 8 / FPS);

if (values.compose) {
  // Real media: 720p VP8 at the given bitrate and Opus, encoded once by ffmpeg.
  const ivf = join(root, 'src.ivf');
  execFileSync('ffmpeg', [
    ...[
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=1280x720:rate=${FPS}`,
      '-t',
      '10',
    ],
    ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', `${KBPS}k`, '-g', '60', ivf],
  ]);
  const { store, jobs } = await record(1, ivfVp8(ivf), SECONDS, 0);
  const job = jobs[0] as JobRecord;
  const dir = store.dirOf(job.id);
  const tar = join(dir, job.output as string);
  execFileSync('tar', ['-xf', tar, '-C', dir]);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  // The archive's Opus is filler; composition decodes audio, so real Opus replaces it for the timing.
  for (const t of manifest.tracks.filter((x: { kind: string }) => x.kind === 'audio')) {
    execFileSync('ffmpeg', [
      ...[
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:sample_rate=48000',
      ],
      ...['-t', String(SECONDS), '-c:a', 'libopus', '-b:a', '32k', join(dir, t.file)],
    ]);
  }
  const out = join(dir, 'composed.webm');
  const args = ['-benchmark', ...composeArgs(dir, manifest.tracks, manifest.duration, out)].map((a) =>
    a === 'error' ? 'info' : a,
  );
  const wallStart = performance.now();
  const run = spawnSync('ffmpeg', args, { encoding: 'utf8' });
  const wall = (performance.now() - wallStart) / 1000;
  const m = /utime=([\d.]+)s stime=([\d.]+)s/.exec(run.stdout + run.stderr);
  const cpuS = m ? Number(m[1]) + Number(m[2]) : Number.NaN;
  console.log(
    JSON.stringify({
      compose: true,
      participants: P,
      recordedSeconds: Number(manifest.duration.toFixed(1)),
      ffmpegCpuSeconds: cpuS,
      wallSeconds: Number(wall.toFixed(1)),
      cpuPerRecordedSecond: Number((cpuS / manifest.duration).toFixed(3)),
      outputBytes: statSync(out).size,
      load1: Number(loadavg()[0]?.toFixed(1)),
    }),
  );
} else {
  // The generator alone (same packets, a tap that drops them): subtracted from the runs below.
  const gen = await drive(
    Array.from({ length: N }, (_, r) => ({
      pubs: publishers(r, fillerVp8(1280, 720, bytesPerFrame, 60)),
      tap: () => {},
    })),
    Math.min(SECONDS, 10),
    2,
  );
  const load1 = loadavg()[0] ?? 0;
  const { result } = await record(N, fillerVp8(1280, 720, bytesPerFrame, 60), SECONDS, WARMUP);
  // Per packet, so that a starved process (the machine is shared) still gives comparable numbers:
  // recorder CPU per packet × the nominal packet rate of one recording = cores per recording.
  const genPerPacket = gen.cpu / (gen.pps * gen.wall);
  const packets = result.pps * result.wall;
  const recorderUsPerPacket = ((result.cpu - genPerPacket * packets) / packets) * 1e6;
  const nominalPps = P * (50 + FPS * Math.ceil(bytesPerFrame / 1180));
  const perRecording = (recorderUsPerPacket * nominalPps) / 1e6;
  const totalCores = result.cpu / result.wall;
  const genCores = gen.cpu / gen.wall;
  console.log(
    JSON.stringify({
      recordings: N,
      participants: P,
      kbpsPerParticipant: KBPS,
      pps: Math.round(result.pps),
      processCores: Number(totalCores.toFixed(3)),
      generatorCores: Number(genCores.toFixed(3)),
      recorderUsPerPacket: Number(recorderUsPerPacket.toFixed(2)),
      generatorUsPerPacket: Number((genPerPacket * 1e6).toFixed(2)),
      nominalPpsPerRecording: nominalPps,
      recorderCoresPerRecording: Number(perRecording.toFixed(4)),
      recordingsPerCore: Number((1 / perRecording).toFixed(1)),
      loopLagP99ms: Number(result.lagP99.toFixed(1)),
      load1: Number(load1.toFixed(1)),
    }),
  );
}
rmSync(root, { recursive: true, force: true });
