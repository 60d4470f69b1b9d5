import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { eventually, mediaStats } from './support/page.js';
import { startE2EServer } from './support/server.js';

let server: Awaited<ReturnType<typeof startE2EServer>>;
let browser: Browser;
const requestedUrls: string[] = [];

beforeAll(async () => {
  server = await startE2EServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openMeeting(room: string, name: string): Promise<Page> {
  const context = await browser.newContext();
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
