import { requireLoopbackNamespace, startTestServer, type TestServer } from '@conclave/testkit';
import { type Browser, launchChromium } from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeWatch,
  impair,
  OBSERVE_MS,
  startImpairedMeeting,
  watchImpaired,
} from './support/impairedMeeting.js';

/*
 * A meeting on an impaired network (issue 16, part 4): through the SFU, Ann publishes a simulcast
 * camera and Ben and Cyd watch it in big tiles, so both start on a high layer. Then 3 % of the
 * UDP packets to and from the SFU are dropped (iptables `statistic`), and Cyd's downlink alone is
 * capped at 400 kbit/s (an HTB class on lo for his port, with a short queue). Cyd's bandwidth
 * estimate falls, the SFU gives him a lower layer and he keeps decoding; Ben keeps his layer;
 * freezes (> 500 ms between presented frames) are counted and printed. The same meeting with
 * 150 ms of round-trip time added is e2e/impaired-delay: there Ben's layer is not stable enough to
 * assert (BENCHMARKS.md), here it is, so the two are kept apart.
 */

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  requireLoopbackNamespace('shape and drop traffic');
  server = await startTestServer({ p2p: { enabled: false }, media: { simulcast: true } }, { ui: 'built' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('an impaired network in Chromium', () => {
  it('under 3 % loss, the viewer capped at 400 kbit/s drops to a lower layer within 5 s and keeps decoding; the other keeps his layer', async () => {
    const meeting = await startImpairedMeeting(browser, server, 'ImpairedHarborLinks');
    const mediaPort = String((server.media as unknown as { port: number }).port);
    const cap = impair(meeting, [
      ['--sport', mediaPort],
      ['--dport', mediaPort],
    ]);
    const impairedAt = Date.now();
    const watch = await watchImpaired(meeting, impairedAt);
    console.log(`[impaired] ${describeWatch(meeting, watch, cap, impairedAt)}`);

    const { before } = meeting;
    const { samples, start, last } = watch;
    // The cap really was the bottleneck, and the SFU moved Cyd under it.
    expect(cap.counters().sentPackets).toBeGreaterThan(0);
    // Cyd keeps decoding, never back on his old layer while capped. A probe up a layer may still
    // freeze him for a few seconds (counted above, BENCHMARKS.md); the whole window may not.
    expect(last.cyd.frames - start.cyd.frames).toBeGreaterThan((last.ben.frames - start.ben.frames) / 2);
    expect(samples.every((s) => s.cyd > 0 && s.cyd < before.cyd)).toBe(true);
    // Ben is not moved down (his last samples at least: his estimate may dip under the loss; he
    // may still have been ramping up when his layer was first read).
    expect(samples.slice(-3).every((s) => s.ben >= before.ben)).toBe(true);
    expect(last.ben.frames - start.ben.frames).toBeGreaterThan((OBSERVE_MS / 1000) * 10);
    // Freezes (> 500 ms) are counted and reported (BENCHMARKS.md), not judged here: on this
    // 2-core machine their rate depends on the load as much as on the network.
  }, 240_000);
});
