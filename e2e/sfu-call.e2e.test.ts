import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import { type Browser, launchChromium, mediaStats, type Page, rtcpReports } from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * Meetings of three through the SFU, in real Chromium: each page decodes the others' video, and a
 * meeting that grows from two to three and shrinks back switches P2P → SFU → P2P with media
 * continuing. Runs inside the tests' loopback-only network namespace.
 */

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({ p2p: { backToP2PDelay: 1 } }, { ui: 'built' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page in a browser context of its own, closed when the test (or this attempt of it) ends. */
async function openMeeting(room: string, name: string, initScript?: string): Promise<Page> {
  const context = await browser.newContext();
  onTestFinished(() => context.close().catch(() => {}));
  if (initScript) await context.addInitScript({ content: initScript });
  const page = await context.newPage();
  await page.goto(`${server.url}/${room}#name=${name}&prejoin=0`);
  return page;
}

async function mode(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    type Conf = { mediaMode: string };
    return (globalThis as { conclave?: { conference?: Conf } }).conclave?.conference?.mediaMode;
  });
}

/** Waits until `page` decodes `count` remote videos on its current path, each advancing. */
async function decodesVideos(page: Page, count: number, what: string): Promise<void> {
  const started = Date.now();
  const before = await eventually(async () => {
    const { video } = await mediaStats(page);
    const live = video.filter((v) => v.framesDecoded > 0 && v.frameWidth > 0);
    return live.length >= count ? live.map((v) => v.framesDecoded) : undefined;
  }, what);
  // Still advancing, not a stale counter from a closed path.
  await eventually(async () => {
    const { video } = await mediaStats(page);
    const now = video.filter((v) => v.framesDecoded > 0).map((v) => v.framesDecoded);
    const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    return total(now) > total(before) + count * 5 ? true : undefined;
  }, `${what} (advancing)`);
  if (process.env.E2E_TRACE) console.log(`${what}: ${Date.now() - started} ms`);
}

describe('meetings of three through the SFU in Chromium', () => {
  it('three pages each decode the two others through the SFU, and receive their audio', async () => {
    const room = 'CopperKitesSailNorthward';
    const pages = [
      await openMeeting(room, 'Ann'),
      await openMeeting(room, 'Ben'),
      await openMeeting(room, 'Cyd'),
    ];
    for (const [i, page] of pages.entries()) {
      await eventually(
        async () => ((await mode(page)) === 'sfu' ? true : undefined),
        `page ${i} in SFU mode`,
      );
      await decodesVideos(page, 2, `page ${i} to decode two videos`);
      const stats = await mediaStats(page);
      expect(stats.audioPackets).toBeGreaterThan(0);
      // Through the server: the selected pair ends at the engine's one UDP port.
      expect(stats.pair?.remote.port).toBe((server.media as unknown as { port: number }).port);
      await expect(page.getByTestId('meeting-mode').textContent()).resolves.toMatch(/server/i);
    }
    // RTCP through the engine. Each publisher's sender reports reach every subscriber, rewritten
    // into that subscriber's stream (without them Chromium cannot play a participant's audio and
    // video in sync): a remote-outbound-rtp for each of the four streams a page receives, its
    // wall-clock time the publisher's (same machine, so near now). And the engine's receiver
    // reports give each publisher its round-trip time (LSR/DLSR) and loss.
    for (const [i, page] of pages.entries()) {
      const reports = await eventually(
        async () => {
          const r = await rtcpReports(page);
          const relayed = r.received.filter((s) => s.packetsReceived > 0 && s.senderReport);
          const answered = r.sent.filter((s) => s.receiverReport?.roundTripTime !== undefined);
          // Every sending stream answered: a simulcast layer resumed a moment ago (a tile grew) has
          // had no report yet, and is judged once it has.
          const unanswered = r.sent.filter((s) => s.active && s.receiverReport?.roundTripTime === undefined);
          return relayed.length >= 4 && answered.length >= 2 && unanswered.length === 0 ? r : undefined;
        },
        `page ${i}: sender reports for all four received streams, receiver reports for every sent one`,
        30_000,
      );
      for (const { senderReport } of reports.received.filter((s) => s.packetsReceived > 0)) {
        expect(senderReport?.reportsSent).toBeGreaterThan(0);
        expect(senderReport?.packetsSent).toBeGreaterThan(0);
        expect(Math.abs((senderReport?.remoteTimestamp ?? 0) - Date.now())).toBeLessThan(10_000);
      }
      // Simulcast layers nobody shows big enough are paused (mediaSignal.maxSendHeight): no reports.
      for (const { receiverReport } of reports.sent.filter((s) => s.active)) {
        expect(receiverReport?.roundTripTime).toBeGreaterThanOrEqual(0);
        expect(receiverReport?.roundTripTime).toBeLessThan(1);
        expect(receiverReport?.fractionLost).toBe(0);
      }
    }
    for (const page of pages) await page.close();
    await eventually(async () => (server.rooms.roomCount === 0 ? true : undefined), 'the room to close');
  }, 90_000);

  it('2 → 3 → 2: switches P2P → SFU → P2P with media continuing', async () => {
    const room = 'VelvetOrchardsHumQuietly';
    const ann = await openMeeting(room, 'Ann');
    const ben = await openMeeting(room, 'Ben');
    for (const page of [ann, ben]) {
      await eventually(async () => ((await mode(page)) === 'p2p' ? true : undefined), 'P2P');
      await decodesVideos(page, 1, 'P2P video');
    }
    const cyd = await openMeeting(room, 'Cyd');
    for (const page of [ann, ben, cyd]) {
      await eventually(async () => ((await mode(page)) === 'sfu' ? true : undefined), 'SFU');
      await decodesVideos(page, 2, 'SFU video');
    }
    await cyd.close();
    // Back to P2P after p2p.backToP2PDelay (1 s here).
    for (const page of [ann, ben]) {
      await eventually(async () => ((await mode(page)) === 'p2p' ? true : undefined), 'P2P again');
      await decodesVideos(page, 1, 'P2P video again');
      const stats = await mediaStats(page);
      expect(stats.pair?.remote.port).not.toBe((server.media as unknown as { port: number }).port);
    }
    await ann.close();
    await ben.close();
  }, 120_000);

  it('a participant whose server session fails gets a new one and sees everyone again', async () => {
    // Cyd's first answer to the engine arrives garbled (a client glitch; ICE/DTLS failures and the
    // connect timeout end a session the same way): the engine drops that session, and the room
    // opens a new one a second later, which Cyd's client answers on a new PeerConnection.
    const garbleFirstAnswer = `(() => {
      const send = WebSocket.prototype.send;
      let garbled = false;
      WebSocket.prototype.send = function (data) {
        const m = typeof data === 'string' && data.includes('"mediaSignal"') ? JSON.parse(data) : undefined;
        if (!garbled && m?.description?.type === 'answer') {
          garbled = true;
          m.description.sdp = 'v=0 garbled';
          return send.call(this, JSON.stringify(m));
        }
        return send.call(this, data);
      };
    })();`;
    const room = 'AmberFoxesCrossTheRidge';
    const reopenedBefore = server.logs.filter((l) => l.includes('room.media_reopened')).length;
    const ann = await openMeeting(room, 'Ann');
    const ben = await openMeeting(room, 'Ben');
    const cyd = await openMeeting(room, 'Cyd', garbleFirstAnswer);
    for (const [i, page] of [ann, ben, cyd].entries())
      await decodesVideos(page, 2, `page ${i} decodes both others through the SFU`);
    expect(server.logs.filter((l) => l.includes('room.media_reopened')).length).toBeGreaterThan(
      reopenedBefore,
    );
    expect(server.logs.some((l) => l.includes('sfu.bad_signal'))).toBe(true);
    for (const page of [ann, ben, cyd]) await page.close();
  }, 90_000);

  it('P7: the server logs of the SFU calls name neither rooms nor people nor addresses', () => {
    const logs = server.logs.join('').toLowerCase();
    for (const secret of [
      'copperkites',
      'velvetorchards',
      'amberfoxes',
      'ann"',
      'ben"',
      'cyd',
      'candidate',
      'v=0',
      '127.0.0.1',
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});
