import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import {
  type Browser,
  chromiumMeetings,
  decodes,
  e2eeState,
  firefoxMeetings,
  type LaunchedFirefox,
  launchChromium,
  launchFirefox,
  type MeetingBrowser,
  type MeetingPage,
  mediaMode,
  mediaStats,
  openMeeting,
  selfId,
} from '@conclave/testkit/browser';
import { checkFrames, ForwardedMedia, sframeKey } from '@conclave/testkit/e2ee';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * The Firefox tier: Debian's Firefox ESR (driven over WebDriver BiDi, testkit/browser/firefox.ts)
 * as one participant of the meetings the Chromium files test — P2P with one Chromium page, the SFU
 * with two, and the same under end-to-end encryption, where a tap in the media engine checks that
 * every frame the SFU forwards, Firefox's included, is SFrame ciphertext under the sender's key.
 * Runs inside the tests' loopback-only network namespace.
 */

let server: TestServer;
let forwarded: ForwardedMedia;
let chromium: Browser;
let firefox: LaunchedFirefox;
let cr: MeetingBrowser;
let ff: MeetingBrowser;

beforeAll(async () => {
  server = await startTestServer({ p2p: { backToP2PDelay: 1 } }, { ui: 'built' });
  forwarded = new ForwardedMedia(server);
  chromium = await launchChromium();
  firefox = await launchFirefox();
  cr = chromiumMeetings(chromium);
  ff = firefoxMeetings(firefox);
});

afterAll(async () => {
  await firefox?.close();
  await chromium?.close();
  await server?.close();
});

/** Joins `room` by URL in a page of its own, closed when this attempt of the test ends. */
function join(
  browser: MeetingBrowser,
  room: string,
  name: string,
  passphrase?: string,
): Promise<MeetingPage> {
  return openMeeting(browser, {
    url: server.url,
    room,
    name,
    ...(passphrase ? { passphrase } : {}),
    closeWith: (close) => onTestFinished(close),
  });
}

async function inMode(pages: MeetingPage[], mode: 'p2p' | 'sfu'): Promise<void> {
  for (const page of pages)
    await eventually(
      async () => ((await mediaMode(page)) === mode ? true : undefined),
      `${page.engine} page in ${mode} mode`,
      60_000,
    );
}

/** Every page decodes every other page's video and plays its audio, on the current path. */
async function allDecode(pages: MeetingPage[], ids: string[], what: string): Promise<void> {
  for (const [i, page] of pages.entries())
    for (const [j, id] of ids.entries())
      if (i !== j) await decodes(page, id, `${what}: page ${i} (${page.engine}) decodes page ${j}`);
}

const enginePort = () => (server.media as unknown as { port: number }).port;

describe('Firefox ESR in meetings with Chromium', () => {
  it('the Firefox page is Firefox and can encrypt with RTCRtpScriptTransform', async () => {
    const room = 'FoxesPeekThroughBirchwood';
    const f = await join(ff, room, 'Fern');
    const agent = await f.evaluate(() => navigator.userAgent);
    expect(agent).toMatch(/Firefox\/\d+/);
    const state = await e2eeState(f);
    expect(state.supported).toBe(true);
    expect(state.api).toBe('RTCRtpScriptTransform');
  });

  it('P2P: a Chromium page and a Firefox page decode each other over a direct path', async () => {
    const room = 'AmberFoxesMeetSilverHares';
    const a = await join(cr, room, 'Ada');
    const f = await join(ff, room, 'Fern');
    const pages = [a, f];
    const ids = [await selfId(a), await selfId(f)];
    await inMode(pages, 'p2p');
    await allDecode(pages, ids, 'P2P');

    // Peer to peer: each browser's selected pair ends at the other browser's own candidate,
    // neither is a relay, and the engine is not on the path.
    const pa = (await mediaStats(a)).pair;
    const pf = (await mediaStats(f)).pair;
    expect(pa && pf).toBeTruthy();
    expect(pa?.local.type).not.toBe('relay');
    expect(pf?.local.type).not.toBe('relay');
    expect(pa?.remote.port).toBe(pf?.local.port);
    expect(pf?.remote.port).toBe(pa?.local.port);
    expect(pa?.remote.port).not.toBe(enginePort());
    expect([...a.errors, ...f.errors]).toEqual([]);
  });

  it('SFU: two Chromium pages and a Firefox page each decode the two others through the SFU', async () => {
    const room = 'CopperFoxesCrossTheFjord';
    const pages = [await join(cr, room, 'Ada'), await join(cr, room, 'Ben'), await join(ff, room, 'Fern')];
    const ids = await Promise.all(pages.map((p) => selfId(p)));
    await inMode(pages, 'sfu');
    await allDecode(pages, ids, 'SFU');
    for (const page of pages) {
      const stats = await mediaStats(page);
      expect(stats.pair?.remote.port, `${page.engine}: through the engine's port`).toBe(enginePort());
    }
    for (const page of pages) expect(page.errors, page.engine).toEqual([]);
  });

  it('E2EE: with one passphrase everyone decodes everyone, P2P and then through the SFU, which forwards only ciphertext', async () => {
    const room = 'HushedFoxesKeepTheirSecrets';
    const passphrase = 'fox and owl';
    const a = await join(cr, room, 'Ada', passphrase);
    const f = await join(ff, room, 'Fern', passphrase);
    const [idA, idF] = [await selfId(a), await selfId(f)];
    await inMode([a, f], 'p2p');
    await allDecode([a, f], [idA, idF], 'E2EE P2P');
    await decryptsAll([a, f], [idA, idF]);

    const b = await join(cr, room, 'Ben', passphrase);
    const pages = [a, b, f];
    const ids = [idA, await selfId(b), idF];
    await inMode(pages, 'sfu');
    const encryptedFrom = Date.now();
    await allDecode(pages, ids, 'E2EE SFU');
    await decryptsAll(pages, ids);

    // At the SFU: every VP8 and Opus frame forwarded from each of them is SFrame under the
    // sender's KID and opens with the key of the passphrase, not with another.
    const meetingId = await a.evaluate(() => globalThis.conclave?.conference.meetingId ?? '');
    for (const [i, page] of pages.entries()) {
      const index = await page.evaluate(() => globalThis.conclave?.conference.self.e2eeIndex ?? 0);
      const kid = BigInt(index) << 4n;
      const right = await sframeKey(passphrase, meetingId, kid);
      const wrong = await sframeKey('another phrase', meetingId, kid);
      const id = ids[i] as string;
      const video = await checkFrames(
        forwarded.framesOf(id, 'video', encryptedFrom),
        'video',
        kid,
        right,
        wrong,
      );
      const audio = await checkFrames(
        forwarded.framesOf(id, 'audio', encryptedFrom),
        'audio',
        kid,
        right,
        wrong,
      );
      const who = `${page.engine} page ${i}`;
      expect(video.checked, `video frames of ${who} at the SFU`).toBeGreaterThanOrEqual(20);
      expect(audio.checked, `audio frames of ${who} at the SFU`).toBeGreaterThanOrEqual(20);
      expect(video.encrypted, `encrypted video frames of ${who}`).toBe(video.checked);
      expect(audio.encrypted, `encrypted audio frames of ${who}`).toBe(audio.checked);
      expect(video.openWithWrongKey + audio.openWithWrongKey).toBe(0);
      expect(video.keyFramesWithStartCode, `${who}: key frames the SFU can recognise`).toBeGreaterThan(0);
    }
    for (const page of pages) expect(page.errors, page.engine).toEqual([]);
  });
});

/** Each page has E2EE on and decrypts every other page's frames. */
async function decryptsAll(pages: MeetingPage[], ids: string[]): Promise<void> {
  for (const [i, page] of pages.entries()) {
    await eventually(
      async () => {
        const state = await e2eeState(page);
        const others = ids.filter((_, j) => j !== i);
        return state.enabled && others.every((id) => state.decrypt[id] === 'ok') ? true : undefined;
      },
      `${page.engine} page ${i} to decrypt everyone`,
      30_000,
    );
  }
}
