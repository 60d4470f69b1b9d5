import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, startTestServer, type TempDir, type TestServer, tempDir } from '@conclave/testkit';
import { type Browser, launchChromium, type Page } from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { senderInit } from './support/clockMedia.js';

/*
 * Lip sync in a recording, in real Chromium against the real server and its ffmpeg composition.
 * The sender page's camera and microphone are a common clock (a flash and a beep at the same
 * instant, once a second; e2e/support/clockMedia.ts) and its video sender holds every encoded frame
 * back VIDEO_DELAY_MS, so the video's packets reach the SFU that much later than the audio captured
 * with it. The recorder places both tracks by the sender's RTCP sender reports (capture clock), so
 * in the composed file the flash and the beep must still coincide: each flash's onset (luminance of
 * the decoded video) minus the nearest beep's (decoded samples), median within TOLERANCE_MS.
 * Placing tracks by arrival instead gives about +VIDEO_DELAY_MS.
 */

const VIDEO_DELAY_MS = 250;
const TOLERANCE_MS = 80;
const RECORD_MS = 16_000;
/**
 * Time on the SFU before recording starts, so that the sender's first audio sender report (which
 * Chromium sends a few seconds into a new path) has reached the engine: the recorder then has
 * both reports from its first frame on. Before a track's first report the recorder places it by
 * arrival (the fallback), which the unit tests cover.
 */
const REPORTS_MS = 8000;

let server: TestServer;
let browser: Browser;
let base: TempDir;
const localDir = () => join(base.path, 'local');

beforeAll(async () => {
  base = tempDir('recording-lip-sync');
  mkdirSync(localDir());
  server = await startTestServer(
    {
      limits: { joinsPerMinute: 1000, joinBurst: 1000 },
      recording: {
        enabled: true,
        dataDir: join(base.path, 'data'),
        compose: true,
        local: { dir: localDir() },
      },
    },
    { ui: 'built' },
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  base?.remove();
});

async function openMeeting(room: string, name: string, sender: boolean): Promise<Page> {
  const context = await browser.newContext();
  onTestFinished(() => context.close().catch(() => {}));
  // The others have no camera and no microphone (refused: they join without media), so the
  // recording holds only the sender's clock; a fake device's own beeps would be taken for its beeps.
  await context.addInitScript({
    content: sender
      ? senderInit(VIDEO_DELAY_MS)
      : `navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('refused', 'NotAllowedError'));`,
  });
  const page = await context.newPage();
  await page.goto(`${server.url}/${room}#name=${name}&prejoin=0`);
  await eventually(
    async () =>
      (await page.evaluate(() => globalThis.conclave?.conference !== undefined)) ? true : undefined,
    `${name} to join`,
  );
  return page;
}

/** Decoded video of `file`: mean luminance and presentation time (s) of every frame. */
function videoFrames(file: string): { t: number; luma: number }[] {
  const size = 16 * 16;
  const run = (args: string[]) =>
    execFileSync('ffmpeg', ['-v', 'info', '-nostats', '-i', file, ...args], {
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const raw = run([
    '-map',
    '0:v',
    '-vf',
    'scale=16:16,format=gray',
    '-fps_mode',
    'passthrough',
    '-f',
    'rawvideo',
    '-',
  ]);
  const times = execFileSync(
    'ffprobe',
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', file],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  )
    .trim()
    .split('\n')
    .map(Number);
  const frames: { t: number; luma: number }[] = [];
  for (let i = 0; i * size < raw.length; i++) {
    let sum = 0;
    for (let j = i * size; j < (i + 1) * size; j++) sum += raw[j] as number;
    frames.push({ t: times[i] as number, luma: sum / size });
  }
  expect(frames.length).toBe(times.length);
  return frames;
}

/** Decoded audio of `file` (mono, 48 kHz) and the time of its first sample (s). */
function audioSamples(file: string): { start: number; rate: number; samples: Float32Array } {
  const raw = execFileSync(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-map', '0:a', '-ac', '1', '-ar', '48000', '-f', 'f32le', '-'],
    { maxBuffer: 1 << 28 },
  );
  const start = Number(
    execFileSync(
      'ffprobe',
      ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=start_time', '-of', 'csv=p=0', file],
      { encoding: 'utf8' },
    ).trim(),
  );
  const samples = new Float32Array(raw.buffer, raw.byteOffset, Math.floor(raw.length / 4));
  return { start: Number.isFinite(start) ? start : 0, rate: 48_000, samples };
}

function onsets(file: string): { flashes: number[]; beeps: number[] } {
  const flashes: number[] = [];
  let bright = false;
  for (const f of videoFrames(file)) {
    if (!bright && f.luma > 128) flashes.push(f.t);
    bright = f.luma > 128;
  }
  const { start, rate, samples } = audioSamples(file);
  const beeps: number[] = [];
  let loud = false;
  let quietSince = -1;
  for (let i = 0; i < samples.length; i++) {
    const t = start + i / rate;
    if (Math.abs(samples[i] as number) > 0.15) {
      if (!loud && t - quietSince > 0.3) beeps.push(t);
      loud = true;
      quietSince = t;
    } else if (loud && t - quietSince > 0.05) loud = false;
  }
  return { flashes, beeps };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

describe('lip sync in a recording', () => {
  it('a flash and a beep captured together coincide in the composed file, though the video left 250 ms late', async () => {
    const room = 'IvoryGongsStrikeOnTheBeat';
    const sender = await openMeeting(room, 'Ann', true);
    const others = [await openMeeting(room, 'Ben', false), await openMeeting(room, 'Cyd', false)];
    for (const page of [sender, ...others])
      await eventually(
        async () =>
          (await page.evaluate(() => globalThis.conclave?.conference?.mediaMode)) === 'sfu'
            ? true
            : undefined,
        'the meeting on the SFU',
      );
    await new Promise((r) => setTimeout(r, REPORTS_MS));
    await sender.evaluate(() => globalThis.conclave?.conference?.startRecording({ kind: 'local' }));
    await new Promise((r) => setTimeout(r, RECORD_MS));
    // The sender's video really went through the delay (frames counted by its transform).
    expect(
      await sender.evaluate(() => (globalThis as { __delayedFrames?: number }).__delayedFrames),
    ).toBeGreaterThan(0);
    await sender.evaluate(() => globalThis.conclave?.conference?.stopRecording());
    const file = await eventually(
      async () => {
        const names = readdirSync(localDir()).filter((n) => n.endsWith('.webm'));
        const data = readdirSync(join(base.path, 'data'));
        return names.length === 1 && data.length === 0 ? join(localDir(), names[0] as string) : undefined;
      },
      'the composed recording in the local folder',
      90_000,
    );

    // Diagnostics: E2E_KEEP=<path> keeps a copy of the composed file there.
    if (process.env.E2E_KEEP) copyFileSync(file, process.env.E2E_KEEP);
    const { flashes, beeps } = onsets(file);
    const skews: { at: number; skew: number }[] = [];
    for (const f of flashes) {
      let best: number | undefined;
      for (const b of beeps) if (best === undefined || Math.abs(f - b) < Math.abs(f - best)) best = b;
      if (best !== undefined && Math.abs(f - best) < 0.5)
        skews.push({ at: f, skew: Math.round((f - best) * 1000) });
    }
    // Composed video is 15 fps: each flash onset is known to about ±33 ms, hence the median.
    const judged = skews.map((s) => s.skew);
    console.log(
      `recording: ${flashes.length} flashes, ${beeps.length} beeps; skew (flash - beep) ms ${JSON.stringify(judged)}: median ${median(judged)}`,
    );
    expect(judged.length).toBeGreaterThanOrEqual(10);
    expect(Math.abs(median(judged))).toBeLessThanOrEqual(TOLERANCE_MS);
  }, 180_000);
});
