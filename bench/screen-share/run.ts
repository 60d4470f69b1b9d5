import os from 'node:os';
import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import { type Browser, launchChromium, launchKillableChromium, type Page } from '@conclave/testkit/browser';
import { type Content, HEIGHT, paint, SCROLL_PX_PER_S, WIDTH } from './content.js';
import { chromiumCpu, cpuPercent } from './processes.js';

/*
 * bench/screen-share: what presenting costs the sender (issue 13's bench row). The sender is the
 * built web app in headless Chromium (its own browser, so its processes are its own), joined with
 * camera and microphone off so the screen is all it sends; one receiver in another Chromium decodes
 * it. The shared source is 1920×1080 (content.ts): a static slide, then continuously scrolling text.
 * The source is a 1920×1080 canvas in the sender's page, repainted and a frame requested 15 times
 * a second (`captureStream(0)` + `requestFrame`: a screen capturer delivering frames at the share's
 * rate, changed or not), handed to `Conference.startScreenShare({ tracks })`: the same sender path
 * as a captured screen (contentHint 'detail', one encoding ≤ 1920×1080, 15 fps, 2.5 Mbit/s,
 * maintain-resolution). Headless Chromium's getDisplayMedia gives a fake 1280×720 test pattern
 * under the fake-media flags; without them, capturing a second tab by title
 * (`--auto-select-tab-capture-source-by-title`) yielded the headless window's 1280×720 and a frame
 * only when the tab repainted, and the sender (no camera or microphone at all) never got its
 * screen encoded within 30 s. So the canvas is how the bench controls what is shared; what it
 * leaves out is the capture itself (a compositor or X11 frame copy), and what it adds is the
 * painting, which the baseline window pays too.
 * Each case: a baseline window with the content running but nothing shared, then a window while
 * sharing; per window the sender Chromium's CPU by process kind (/proc), and from getStats the
 * screen's outbound-rtp: bitrate, frames encoded per second, size, encode time per frame, quality
 * limitation. In a P2P meeting and in an SFU meeting (a server with P2P off: the same two people).
 *
 *   npm run bench:screen-share -- [--seconds 20] [--baseline-seconds 10] [--modes p2p,sfu] [--contents slide,scroll]
 */

const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
};
const seconds = Number(flag('seconds', '20'));
const baselineSeconds = Number(flag('baseline-seconds', '10'));
const modes = flag('modes', 'p2p,sfu').split(',') as ('p2p' | 'sfu')[];
const contents = flag('contents', 'slide,scroll').split(',') as Content[];
const FPS = 15;
const WARMUP_MS = 6000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Outbound {
  at: number;
  bytesSent: number;
  framesEncoded: number;
  totalEncodeTime: number;
  frameWidth: number;
  frameHeight: number;
  qualityLimitationReason: string;
  encoderImplementation: string;
}

/**
 * The sender's outbound-rtp for its shared screen: of those whose media-source is the screen track
 * (the P2P and the SFU path may both have a sender for it, one idle), the one that sent the most;
 * if none matches (a path sending a clone of the track), the video outbound-rtp that sent the most
 * (the sender's camera is off, so that is the screen's).
 */
function outbound(page: Page): Promise<Outbound | undefined> {
  return page.evaluate(async () => {
    const conference = globalThis.conclave?.conference;
    const track = conference?.screenTracks.find((t) => t.kind === 'video');
    const report = await conference?.getStats();
    if (!track || !report) return undefined;
    type Stat = Record<string, unknown> & { type: string; id: string };
    let sourceId: string | undefined;
    const videos: Stat[] = [];
    const codecs = new Map<string, string>();
    report.forEach((s: Stat) => {
      if (s.type === 'codec') codecs.set(s.id, String(s.mimeType));
      if (s.type === 'media-source' && s.trackIdentifier === track.id) sourceId = s.id;
      if (s.type === 'outbound-rtp' && s.kind === 'video') videos.push(s);
    });
    const matched = videos.filter((v) => v.mediaSourceId === sourceId);
    const s = (matched.length ? matched : videos).sort(
      (a, b) => Number(b.bytesSent ?? 0) - Number(a.bytesSent ?? 0),
    )[0];
    if (!s) return undefined;
    return {
      at: Number(s.timestamp),
      bytesSent: Number(s.bytesSent ?? 0) + Number(s.headerBytesSent ?? 0),
      framesEncoded: Number(s.framesEncoded ?? 0),
      totalEncodeTime: Number(s.totalEncodeTime ?? 0),
      frameWidth: Number(s.frameWidth ?? 0),
      frameHeight: Number(s.frameHeight ?? 0),
      qualityLimitationReason: String(s.qualityLimitationReason ?? ''),
      encoderImplementation:
        `${String(s.encoderImplementation ?? '')} ${codecs.get(String(s.codecId)) ?? ''}`.trim(),
    };
  });
}

/** What the sender's page says about its share and its stats, when the screen never gets encoded. */
function diagnose(page: Page): Promise<unknown> {
  return page.evaluate(async () => {
    const conference = globalThis.conclave?.conference;
    const report = await conference?.getStats();
    const stats: unknown[] = [];
    report?.forEach((s: Record<string, unknown>) => {
      if (s.type === 'outbound-rtp' || s.type === 'media-source') stats.push(s);
    });
    return {
      mode: conference?.mediaMode,
      screenTracks: conference?.screenTracks.map((t) => `${t.kind} ${t.readyState} ${t.id}`),
      stats,
    };
  });
}

/** What the receiver decodes of the screen: size and frames so far. */
function inbound(page: Page): Promise<{ width: number; height: number; frames: number } | undefined> {
  return page.evaluate(async () => {
    const conference = globalThis.conclave?.conference;
    const screen = conference?.remoteTracks.find((t) => t.source === 'screen' && t.track.kind === 'video');
    const report = await conference?.getStats();
    if (!screen || !report) return undefined;
    let out: { width: number; height: number; frames: number } | undefined;
    report.forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp' && s.trackIdentifier === screen.track.id)
        out = {
          width: Number(s.frameWidth ?? 0),
          height: Number(s.frameHeight ?? 0),
          frames: Number(s.framesDecoded ?? 0),
        };
    });
    return out;
  });
}

async function joinMeeting(browser: Browser, server: TestServer, room: string, name: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/${room}#name=${name}&prejoin=0&audio=0&video=0`);
  await eventually(
    () => page.evaluate(() => (globalThis.conclave?.conference ? true : undefined)),
    `${name} joined`,
    60_000,
  );
  return page;
}

/** Canvas source: paints `content` in the sender's page, 15 frames a second (not shared yet; the baseline pays the painting too). */
async function paintCanvas(page: Page, content: Content): Promise<void> {
  // Compiled by the debugger protocol, not by the page (whose CSP forbids eval); tsx keeps
  // function names with a helper (`__name`) the page does not have.
  await page.evaluate(`globalThis.__name = (f) => f; globalThis.benchPaint = ${paint.toString()};`);
  await page.evaluate(
    async ({ content, width, height, fps, speed }) => {
      const g = globalThis as unknown as Record<string, unknown>;
      const paintFn = g.benchPaint as (c: CanvasRenderingContext2D, k: string, s: number, v: number) => void;
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      paintFn(ctx, content, 0, speed);
      const track = canvas.captureStream(0).getVideoTracks()[0] as CanvasCaptureMediaStreamTrack;
      const start = performance.now();
      g.benchTimer = setInterval(() => {
        // The slide is repainted unchanged: a canvas only yields a frame once painted, and a screen
        // capturer delivers its frames at the share's rate whether the screen changed or not.
        paintFn(ctx, content, (performance.now() - start) / 1000, speed);
        track.requestFrame();
      }, 1000 / fps);
      g.benchTrack = track;
    },
    {
      content,
      width: WIDTH,
      height: HEIGHT,
      fps: FPS,
      speed: SCROLL_PX_PER_S,
    },
  );
}

interface Window {
  cpu: Record<string, number>;
  stats?: {
    kbps: number;
    fps: number;
    width: number;
    height: number;
    encodeMsPerFrame: number;
    limitation: string;
    encoder: string;
  };
}

async function measureWindow(pid: number, page: Page | undefined, secs: number): Promise<Window> {
  const c0 = chromiumCpu(pid);
  const t0 = performance.now();
  const o0 = page ? await outbound(page) : undefined;
  await sleep(secs * 1000);
  const o1 = page ? await outbound(page) : undefined;
  const c1 = chromiumCpu(pid);
  const cpu = cpuPercent(c0, c1, (performance.now() - t0) / 1000);
  if (!o0 || !o1) return { cpu };
  const dt = (o1.at - o0.at) / 1000;
  const frames = o1.framesEncoded - o0.framesEncoded;
  return {
    cpu,
    stats: {
      kbps: ((o1.bytesSent - o0.bytesSent) * 8) / dt / 1000,
      fps: frames / dt,
      width: o1.frameWidth,
      height: o1.frameHeight,
      encodeMsPerFrame: frames ? ((o1.totalEncodeTime - o0.totalEncodeTime) * 1000) / frames : Number.NaN,
      limitation: o1.qualityLimitationReason,
      encoder: o1.encoderImplementation,
    },
  };
}

interface Row {
  mode: string;
  content: Content;
  baseline: Window;
  sharing: Window;
  received?: { width: number; height: number; fps: number };
}

async function runCase(
  server: TestServer,
  mode: 'p2p' | 'sfu',
  content: Content,
  index: number,
): Promise<Row> {
  const sender = await launchKillableChromium();
  const receiverBrowser = await launchChromium();
  try {
    const room = `ScreenShareBench${process.pid}x${index}`;
    const page = await joinMeeting(sender.browser, server, room, 'Ann');
    const receiver = await joinMeeting(receiverBrowser, server, room, 'Ben');
    await eventually(
      () =>
        page.evaluate(() => (globalThis.conclave?.conference?.participants.size === 1 ? true : undefined)),
      'Ann sees Ben',
      60_000,
    );
    await paintCanvas(page, content);
    await sleep(2000);
    // Baseline: in the meeting, the canvas painting, nothing shared.
    const baseline = await measureWindow(sender.pid, undefined, baselineSeconds);
    await page.evaluate(async () => {
      const track = (globalThis as unknown as { benchTrack: MediaStreamTrack }).benchTrack;
      await globalThis.conclave?.conference?.startScreenShare({ tracks: [track] });
    });
    await eventually(
      async () => ((await outbound(page))?.framesEncoded ?? 0) > 0 || undefined,
      'screen encoded',
      30_000,
    ).catch(async (err) => {
      console.error(JSON.stringify(await diagnose(page), null, 1));
      throw err;
    });
    const actualMode = await page.evaluate(() => globalThis.conclave?.conference?.mediaMode);
    if (actualMode !== mode) throw new Error(`meeting in ${actualMode}, not ${mode}`);
    await sleep(WARMUP_MS);
    const r0 = await inbound(receiver);
    const t0 = performance.now();
    const sharing = await measureWindow(sender.pid, page, seconds);
    const r1 = await inbound(receiver);
    const received =
      r0 && r1
        ? {
            width: r1.width,
            height: r1.height,
            fps: (r1.frames - r0.frames) / ((performance.now() - t0) / 1000),
          }
        : undefined;
    return { mode, content, baseline, sharing, ...(received ? { received } : {}) };
  } finally {
    await receiverBrowser.close().catch(() => {});
    await sender.browser.close().catch(() => {});
    await sender.server.close().catch(() => {});
  }
}

const sum = (cpu: Record<string, number>, kinds: (k: string) => boolean) =>
  Object.entries(cpu).reduce((n, [k, v]) => n + (kinds(k) ? v : 0), 0);
const renderer = (w: Window) => sum(w.cpu, (k) => k === 'renderer');
const gpu = (w: Window) => sum(w.cpu, (k) => k === 'gpu-process');
const total = (w: Window) => sum(w.cpu, () => true);

const servers: Record<string, TestServer> = {};
const rows: Row[] = [];
try {
  let index = 0;
  for (const mode of modes) {
    servers[mode] = await startTestServer(mode === 'sfu' ? { p2p: { enabled: false } } : {}, { ui: 'built' });
    for (const content of contents) {
      const row = await runCase(servers[mode] as TestServer, mode, content, index++);
      rows.push(row);
      console.log(JSON.stringify({ ...row, load: os.loadavg() }));
    }
  }
} finally {
  for (const server of Object.values(servers)) await server.close();
}

const f = (x: number | undefined, d = 1) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));
console.log(
  `\nscreen share, 1920×1080 canvas source at ${FPS} fps, ${seconds} s per window, sender Chromium CPU in % of one core (baseline: in the meeting, nothing shared)\n`,
);
console.log(
  '| meeting | content | sent size | sent fps | kbit/s | encoder | encode ms / frame | quality limit | renderer % | GPU % | all sender processes % | baseline renderer / GPU / all % | receiver decodes |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const s = r.sharing.stats;
  console.log(
    `| ${r.mode.toUpperCase()} | ${r.content} | ${s ? `${s.width}×${s.height}` : '—'} | ${f(s?.fps)} | ${f(s?.kbps, 0)} | ${s?.encoder ?? '—'} | ${f(s?.encodeMsPerFrame, 2)} | ${s?.limitation ?? '—'} | ${f(renderer(r.sharing))} | ${f(gpu(r.sharing))} | ${f(total(r.sharing))} | ${f(renderer(r.baseline))} / ${f(gpu(r.baseline))} / ${f(total(r.baseline))} | ${r.received ? `${r.received.width}×${r.received.height} @ ${f(r.received.fps)}` : '—'} |`,
  );
}
console.log(
  `\nmachine: ${os.cpus().length}× ${os.cpus()[0]?.model ?? '?'}, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
// node-datachannel's threads outlive the closed engine and would keep the process alive.
process.exit(0);
