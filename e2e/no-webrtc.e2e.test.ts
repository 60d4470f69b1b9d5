import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import { type Browser, launchChromium, type Page } from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * A browser without WebRTC (issue 17, finding 12). Debian's WebKitGTK has no RTCPeerConnection;
 * here Chromium is made into one by deleting it before the app loads. Before: that page threw, said
 * "Waiting for others…" beside "People (2)", and the other side of the 1:1 said "Peer-to-peer ·
 * connecting…" forever. Now the pre-join screen says it cannot join with audio or video and which
 * browsers can, and the other person is told instead of waiting.
 */

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({}, { ui: 'built' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function page(withoutWebRTC: boolean): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext();
  // Closed when the test (or this attempt of it) ends.
  onTestFinished(() => context.close().catch(() => {}));
  if (withoutWebRTC) {
    await context.addInitScript(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      delete w.RTCPeerConnection;
      delete w.webkitRTCPeerConnection;
    });
  }
  const p = await context.newPage();
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  return { page: p, errors };
}

const text = async (p: Page, testid: string) => (await p.getByTestId(testid).first().textContent()) ?? '';

describe('a browser without WebRTC', () => {
  it('is told before joining, joins for chat only, and the other side of the 1:1 is told instead of hanging', async () => {
    const room = 'NoWebRtcQuietMeadow';
    const bea = await page(true);
    await bea.page.goto(`${server.url}/${room}#name=Bea`);
    const notice = await text(bea.page, 'prejoin-no-webrtc');
    expect(notice).toMatch(/cannot take part with audio or video/);
    expect(notice).toMatch(/Firefox.*Chrome/);
    await bea.page.getByTestId('prejoin-join').click();
    await bea.page.getByTestId('meeting-room').waitFor();

    const ann = await page(false);
    await ann.page.goto(`${server.url}/${room}#name=Ann&prejoin=0`);
    await ann.page.getByTestId('meeting-room').waitFor();
    // Ann learns that Bea cannot connect: in the people list, on Bea's tile, and in a notice.
    await ann.page.getByTestId('participant-media-problem').waitFor();
    expect(await text(ann.page, 'participant-media-problem')).toMatch(/cannot connect/);
    const beasTile = ann.page.getByTestId('remote-tile').getByTestId('tile-media-problem');
    expect(await beasTile.textContent()).toMatch(/cannot connect/);
    expect(await text(ann.page, 'media-problem-notice')).toMatch(
      /Bea's browser cannot join with audio or video/,
    );
    // Nobody waits for a call that cannot happen.
    await new Promise((r) => setTimeout(r, 3000));
    for (const p of [ann.page, bea.page]) {
      const mode = await text(p, 'meeting-mode');
      expect(mode).not.toMatch(/connecting|peer-to-peer|waiting/i);
    }
    expect(await text(ann.page, 'meeting-mode')).toMatch(/No audio or video/);
    expect(await text(bea.page, 'meeting-mode')).toMatch(/Chat only/);
    // They can still talk by chat.
    await bea.page.getByTestId('chat-toggle').click();
    await bea.page.getByTestId('chat-input').fill('hello from a browser without WebRTC');
    await bea.page.getByTestId('chat-send').click();
    await eventually(
      async () =>
        (await ann.page.getByText('hello from a browser without WebRTC').count()) > 0 ? true : undefined,
      'the chat message to reach Ann',
    );
    expect(bea.errors).toEqual([]);
    expect(ann.errors).toEqual([]);
  });
});
