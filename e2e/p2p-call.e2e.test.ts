import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import { type Browser, launchChromium, mediaStats, type Page } from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

let server: TestServer;
let browser: Browser;
const requestedUrls: string[] = [];

beforeAll(async () => {
  server = await startTestServer({}, { ui: 'built' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page in a browser context of its own, closed when the test (or this attempt of it) ends. */
async function openMeeting(room: string, name: string, initScript?: () => void): Promise<Page> {
  const context = await browser.newContext();
  onTestFinished(() => context.close().catch(() => {}));
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  page.on('request', (request) => requestedUrls.push(request.url()));
  await page.goto(`${server.url}/${room}#name=${name}&prejoin=0`);
  return page;
}

describe('1:1 call in Chromium', () => {
  it('P9: two pages joined by URL decode each other over a direct peer-to-peer path, then one leaves', async () => {
    const room = 'AmberFoxesWanderGently';
    const alice = await openMeeting(room, 'Alice');
    const bob = await openMeeting(room, 'Bob');

    for (const page of [alice, bob]) {
      const video = await eventually(async () => {
        const stats = await mediaStats(page);
        const v = stats.video.find((s) => s.framesDecoded > 0 && s.frameWidth > 0);
        return v && stats.audioPackets > 0 ? v : undefined;
      }, 'decoded remote video and received audio');
      expect(video.framesDecoded).toBeGreaterThan(0);
      const width = await page.getByTestId('remote-video').evaluate((v: HTMLVideoElement) => v.videoWidth);
      expect(width).toBeGreaterThan(0);
      await expect(page.getByTestId('meeting-mode').textContent()).resolves.toMatch(/peer-to-peer/i);
    }

    // Peer-to-peer: each browser's selected pair ends at the other browser's own candidate, and
    // neither side is a relay. Nothing in between but loopback.
    const a = (await mediaStats(alice)).pair;
    const b = (await mediaStats(bob)).pair;
    expect(a && b).toBeTruthy();
    expect(a?.local.type).not.toBe('relay');
    expect(b?.local.type).not.toBe('relay');
    expect(a?.remote.port).toBe(b?.local.port);
    expect(b?.remote.port).toBe(a?.local.port);
    expect(server.rooms.participantCount).toBe(2);

    await bob.getByTestId('meeting-leave').click();
    await eventually(
      async () => ((await alice.getByTestId('remote-tile').count()) === 0 ? true : undefined),
      'Alice to see Bob leave',
    );
    await expect(alice.getByTestId('meeting-mode').textContent()).resolves.toMatch(/waiting/i);
    expect(server.rooms.participantCount).toBe(1);
    await alice.close();
    await bob.close();
    await eventually(async () => (server.rooms.roomCount === 0 ? true : undefined), 'the room to close');
  });

  it('a call whose first ICE candidates are all lost recovers by an ICE restart from the offerer', async () => {
    // Both pages silently drop every remote candidate of the first ICE generation (ufrag), so
    // neither side has a pair to check: only a restart with fresh credentials can connect them.
    const loseFirstCandidates = () => {
      const w = globalThis as unknown as { dropped: number; restarts: number };
      w.dropped = 0;
      w.restarts = 0;
      const firstUfrag = new WeakMap<RTCPeerConnection, string>();
      const add = RTCPeerConnection.prototype.addIceCandidate as (
        this: RTCPeerConnection,
        c?: RTCIceCandidateInit,
      ) => Promise<void>;
      RTCPeerConnection.prototype.addIceCandidate = function (
        this: RTCPeerConnection,
        c?: RTCIceCandidateInit,
      ) {
        const ufrag = c?.usernameFragment ?? c?.candidate?.match(/ ufrag (\S+)/)?.[1];
        if (ufrag && !firstUfrag.has(this)) firstUfrag.set(this, ufrag);
        if (ufrag && firstUfrag.get(this) === ufrag) {
          w.dropped++;
          return Promise.resolve();
        }
        return add.call(this, c);
      } as typeof RTCPeerConnection.prototype.addIceCandidate;
      const restart = RTCPeerConnection.prototype.restartIce;
      RTCPeerConnection.prototype.restartIce = function (this: RTCPeerConnection) {
        w.restarts++;
        restart.call(this);
      };
    };
    const room = 'CopperOwlsRestartQuietly';
    const pages = [
      await openMeeting(room, 'Carol', loseFirstCandidates),
      await openMeeting(room, 'Dan', loseFirstCandidates),
    ];
    for (const page of pages) {
      await eventually(
        async () => {
          const stats = await mediaStats(page);
          return stats.video.some((v) => v.framesDecoded > 0) && stats.audioPackets > 0 ? true : undefined;
        },
        'media after the ICE restart',
        40_000,
      );
      await expect(page.getByTestId('meeting-mode').textContent()).resolves.toMatch(/peer-to-peer/i);
    }
    const read = await Promise.all(
      pages.map((page) =>
        page.evaluate(() => {
          const w = globalThis as unknown as { dropped: number; restarts: number };
          return { dropped: w.dropped, restarts: w.restarts };
        }),
      ),
    );
    // Both lost candidates; exactly one side (the offerer) restarted.
    expect(read.every((r) => r.dropped > 0)).toBe(true);
    expect(read.map((r) => r.restarts > 0).sort()).toEqual([false, true]);
  });

  it('P8: the pages requested nothing from any other origin', () => {
    expect(requestedUrls.length).toBeGreaterThan(0);
    const origins = new Set(requestedUrls.map((u) => new URL(u).origin));
    expect([...origins]).toEqual([new URL(server.url).origin]);
  });

  it('P7: the server logs of the whole call name neither the room nor the people', () => {
    const logs = server.logs.join('').toLowerCase();
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of ['amberfoxeswandergently', 'alice', 'bob', 'candidate', 'v=0']) {
      expect(logs).not.toContain(secret);
    }
  });
});
