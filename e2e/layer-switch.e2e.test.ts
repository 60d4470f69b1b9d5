import { startTestServer, type TestServer } from '@conclave/testkit';
import { type Browser, launchChromium, type Page, withoutCamera } from '@conclave/testkit/browser';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { decodes } from './support/clusterPages.js';

/*
 * A viewer whose tile keeps changing size gets a different simulcast layer each time, and each
 * layer counts its VP8 PictureID and TL0PICIDX from a random start of its own. Chromium keys its
 * reference bookkeeping on them: unless the SFU keeps them continuous across switches, a switch to
 * a layer that counts behind leaves entries that later frames get chained to, and the viewer
 * freezes with no packet lost until its decoder asks for a keyframe 3 s later. Here the viewer
 * switches layers every few seconds for a while and must never go a second without a new frame.
 */

const SWITCH_EVERY_MS = 2_500;
const SWITCHES = 24;
const BIG = { width: 1280, height: 800 };
const SMALL = { width: 320, height: 200 };

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({ p2p: { enabled: false }, media: { simulcast: true } }, { ui: 'built' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(room: string, name: string, camera: boolean): Promise<Page> {
  const context = await browser.newContext({ viewport: BIG, deviceScaleFactor: 1 });
  onTestFinished(() => context.close().catch(() => {}));
  if (!camera) await withoutCamera(context);
  const page = await context.newPage();
  await page.goto(`${server.url}/${room}#name=${name}&prejoin=0`);
  return page;
}

/** The viewer's one remote video: frames completed so far, their height, and its keyframe requests. */
function received(page: Page): Promise<{ frames: number; height: number; pli: number }> {
  return page.evaluate(async () => {
    type Conf = { getStats(): Promise<RTCStatsReport | undefined> };
    const report = await (
      globalThis as { conclave?: { conference?: Conf } }
    ).conclave?.conference?.getStats();
    const out = { frames: 0, height: 0, pli: 0 };
    report?.forEach((s: Record<string, unknown>) => {
      if (s.type !== 'inbound-rtp' || s.kind !== 'video' || !Number(s.framesReceived)) return;
      out.frames += Number(s.framesReceived);
      out.height = Math.max(out.height, Number(s.frameHeight ?? 0));
      out.pli += Number(s.pliCount ?? 0);
    });
    return out;
  });
}

it('a viewer switched between simulcast layers again and again never goes a second without a frame', {
  timeout: 120_000,
}, async () => {
  const room = 'RestlessTilesKeepMoving';
  const viewer = await open(room, 'Vic', false);
  await open(room, 'Pia', true);
  await decodes(viewer, 'Vic decodes Pia');
  let layerChanges = 0;
  let last = await received(viewer);
  const first = last;
  let lastNewFrameAt = Date.now();
  let longestGapMs = 0;
  let big = true;
  let nextSwitch = Date.now() + SWITCH_EVERY_MS;
  let switches = 0;
  while (switches < SWITCHES || Date.now() < nextSwitch) {
    await new Promise((r) => setTimeout(r, 100));
    if (Date.now() >= nextSwitch && switches < SWITCHES) {
      big = !big;
      await viewer.setViewportSize(big ? BIG : SMALL);
      switches++;
      nextSwitch = Date.now() + SWITCH_EVERY_MS;
    }
    const now = await received(viewer);
    if (now.frames > last.frames) {
      longestGapMs = Math.max(longestGapMs, Date.now() - lastNewFrameAt);
      lastNewFrameAt = Date.now();
      if (now.height !== last.height && last.height > 0) layerChanges++;
    }
    last = now;
  }
  longestGapMs = Math.max(longestGapMs, Date.now() - lastNewFrameAt);
  const detail = `${layerChanges} layer changes, longest gap ${longestGapMs} ms, keyframe requests ${last.pli - first.pli}`;
  if (process.env.E2E_TRACE) console.log(`[layer-switch] ${detail}`);
  // The control: the layer really changed, again and again.
  expect(layerChanges, detail).toBeGreaterThanOrEqual(SWITCHES / 2);
  expect(longestGapMs, detail).toBeLessThan(1_000);
});
