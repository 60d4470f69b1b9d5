import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import {
  type Browser,
  chromiumMeetings,
  decodes,
  e2eeState,
  firefoxMeetings,
  keepsDecoding,
  type LaunchedFirefox,
  launchChromium,
  launchFirefox,
  type MeetingBrowser,
  type MeetingPage,
  mediaMode,
  mediaStats,
  openMeeting,
  received,
  selfId,
} from '@conclave/testkit/browser';
import { ForwardedMedia, sframeKey } from '@conclave/testkit/e2ee';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * The Firefox tier: Debian's Firefox ESR (driven over WebDriver BiDi, testkit/browser/firefox.ts)
 * as one participant of the meetings the Chromium files test — P2P with one Chromium page, the SFU
 * with two, and the same under end-to-end encryption, where a tap in the media engine checks that
 * every frame the SFU forwards, Firefox's included, is SFrame ciphertext under the sender's key;
 * and screen sharing through the SFU in both directions.
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
  it('P2P with a Chromium page over a direct path, then through the SFU when a second Chromium page joins: everyone decodes everyone', {
    timeout: 150_000,
  }, async () => {
    const room = 'AmberFoxesMeetSilverHares';
    const a = await join(cr, room, 'Ada');
    const f = await join(ff, room, 'Fern');
    // The control: this page really is Firefox, and has the standard encoded-transform API.
    expect(await f.evaluate(() => navigator.userAgent)).toMatch(/Firefox\/\d+/);
    expect(await e2eeState(f)).toMatchObject({ supported: true, api: 'RTCRtpScriptTransform' });
    const [idA, idF] = [await selfId(a), await selfId(f)];
    await inMode([a, f], 'p2p');
    await allDecode([a, f], [idA, idF], 'P2P');
    await directPath(a, f);

    const b = await join(cr, room, 'Ben');
    const pages = [a, b, f];
    const ids = [idA, await selfId(b), idF];
    await inMode(pages, 'sfu');
    await allDecode(pages, ids, 'SFU');
    for (const page of pages) {
      const stats = await mediaStats(page);
      expect(stats.pair?.remote.port, `${page.engine}: through the engine's port`).toBe(enginePort());
    }
    for (const page of pages) expect(page.errors, page.engine).toEqual([]);
  });

  it('E2EE: with one passphrase everyone decodes everyone, P2P and then through the SFU, which forwards only ciphertext; a device switch in Firefox keeps it so', {
    timeout: 150_000,
  }, async () => {
    const room = 'HushedFoxesKeepTheirSecrets';
    const passphrase = 'fox and owl';
    const a = await join(cr, room, 'Ada', passphrase);
    const f = await join(ff, room, 'Fern', passphrase);
    const [idA, idF] = [await selfId(a), await selfId(f)];
    await inMode([a, f], 'p2p');
    await allDecode([a, f], [idA, idF], 'E2EE P2P');
    await directPath(a, f);
    await decryptsAll([a, f], [idA, idF]);

    const b = await join(cr, room, 'Ben', passphrase);
    const pages = [a, b, f];
    const ids = [idA, await selfId(b), idF];
    await inMode(pages, 'sfu');
    // Until its key is derived a joining page sends black frames and silence in the clear
    // (packages/web/src/pages/meeting.ts); from a moment after, everything must be ciphertext.
    for (const page of pages)
      await eventually(async () => ((await e2eeState(page)).enabled ? true : undefined), 'E2EE on');
    const encryptedFrom = Date.now() + 1000;
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
      await forwarded.forwardedSince(id, encryptedFrom);
      const { video, audio } = await forwarded.check(id, encryptedFrom, kid, right, wrong);
      const who = `${page.engine} page ${i}`;
      expect(video.checked, `video frames of ${who} at the SFU`).toBeGreaterThanOrEqual(20);
      expect(audio.checked, `audio frames of ${who} at the SFU`).toBeGreaterThanOrEqual(20);
      expect(video.encrypted, `encrypted video frames of ${who}`).toBe(video.checked);
      expect(audio.encrypted, `encrypted audio frames of ${who}`).toBe(audio.checked);
      expect(video.openWithWrongKey + audio.openWithWrongKey).toBe(0);
    }

    // A device switch in Firefox (its fake media has one camera and one microphone, so it opens
    // them afresh): the new tracks replace the sent ones in place, the old ones stop, and the
    // Chromium pages keep decoding and decrypting Firefox's media.
    const switched = await f.evaluate(async () => {
      const c = globalThis.conclave?.conference;
      if (!c) throw new Error('not in a meeting');
      const old = [...c.localTracks];
      const fresh = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      for (const track of fresh.getTracks()) await c.replaceLocalTrack(track);
      for (const track of old) track.stop();
      const now = c.localTracks;
      return {
        replaced: now.every((t) => !old.includes(t)) && now.length === old.length,
        live: now.map((t) => t.readyState),
      };
    });
    expect(switched).toEqual({ replaced: true, live: ['live', 'live'] });
    for (const page of [a, b]) {
      const heard = (await received(page))[idF]?.audioEnergy ?? 0;
      await keepsDecoding(page, idF, `${page.engine} decodes Firefox after its device switch`);
      await eventually(
        async () => (((await received(page))[idF]?.audioEnergy ?? 0) > heard ? true : undefined),
        "Firefox's new microphone heard",
      );
    }
    await decryptsAll(pages, ids);
    for (const page of pages) expect(page.errors, page.engine).toEqual([]);
  });

  it("screen sharing through the SFU: Firefox decodes a Chromium page's shared screen, and Chromium decodes a screen Firefox presents", {
    timeout: 150_000,
  }, async () => {
    const room = 'FoxesWatchTheSlidesTurn';
    const a = await join(cr, room, 'Ada');
    const b = await join(cr, room, 'Ben');
    const f = await join(ff, room, 'Fern');
    const pages = [a, b, f];
    await inMode(pages, 'sfu');
    const [idA, idF] = [await selfId(a), await selfId(f)];

    // Chromium presents its fake 1280×720 screen (getDisplayMedia under the fake-media flags).
    await a.evaluate(() => globalThis.conclave?.conference.startScreenShare());
    await decodesScreen(f, idA, 1280, 'Firefox decodes the Chromium screen');
    await a.evaluate(() => globalThis.conclave?.conference.stopScreenShare());
    await eventually(
      async () => ((await screenVideo(f, idA)) === undefined ? true : undefined),
      'the Chromium screen to end at Firefox',
    );

    // Headless Firefox ESR cannot capture a screen: getDisplayMedia answers NotFoundError whatever
    // the prefs (media.navigator.streams.fake fakes cameras and microphones only; there is no
    // display to capture). So Firefox presents what an app would hand the API instead of a
    // capture: a 1280×720 canvas that keeps changing, through the same client and SFU path.
    await f.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 1280;
      canvas.height = 720;
      const g = canvas.getContext('2d');
      let n = 0;
      setInterval(() => {
        if (!g) return;
        g.fillStyle = n % 2 ? '#223' : '#eee';
        g.fillRect(0, 0, 1280, 720);
        g.fillStyle = '#c33';
        g.fillRect((n * 37) % 1200, 300, 80, 80);
        n++;
      }, 100);
      const track = canvas.captureStream(10).getVideoTracks()[0];
      if (!track) throw new Error('no canvas track');
      await globalThis.conclave?.conference.startScreenShare({ tracks: [track] });
    });
    for (const page of [a, b])
      await decodesScreen(page, idF, 1280, `${page.engine} decodes the Firefox screen`);
    await f.evaluate(() => globalThis.conclave?.conference.stopScreenShare());
    for (const page of [a, b])
      await eventually(
        async () => ((await screenVideo(page, idF)) === undefined ? true : undefined),
        'the Firefox screen to end',
      );
    for (const page of pages) expect(page.errors, page.engine).toEqual([]);
  });
});

/** The shared screen `page` receives from `presenterId` (source `screen`), as decoded; undefined if none. */
function screenVideo(
  page: MeetingPage,
  presenterId: string,
): Promise<{ width: number; framesDecoded: number } | undefined> {
  return page.evaluateWith(async (presenterId) => {
    const c = globalThis.conclave?.conference;
    const track = c?.remoteTracks.find(
      (t) =>
        t.participantId === presenterId &&
        t.source === 'screen' &&
        t.track.kind === 'video' &&
        t.track.readyState === 'live',
    )?.track;
    if (!c || !track) return undefined;
    let out = { width: 0, framesDecoded: 0 };
    (await c.getStats())?.forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp' && s.trackIdentifier === track.id)
        out = { width: Number(s.frameWidth ?? 0), framesDecoded: Number(s.framesDecoded ?? 0) };
    });
    return out;
  }, presenterId);
}

/** Waits until `page` decodes `presenterId`'s screen at `width`, then until more frames arrive. */
async function decodesScreen(
  page: MeetingPage,
  presenterId: string,
  width: number,
  what: string,
): Promise<void> {
  const first = await eventually(
    async () => {
      const v = await screenVideo(page, presenterId);
      return v && v.width === width && v.framesDecoded > 0 ? v : undefined;
    },
    `${what}: a ${width}-wide screen decoded`,
    60_000,
  );
  await eventually(
    async () => {
      const v = await screenVideo(page, presenterId);
      return v && v.framesDecoded >= first.framesDecoded + 10 ? true : undefined;
    },
    `${what}: frames advancing`,
    30_000,
  );
}

/**
 * Peer to peer: each browser's selected pair ends at one of the other browser's own candidates,
 * neither side is a relay, and the engine's port is on neither end.
 */
async function directPath(x: MeetingPage, y: MeetingPage): Promise<void> {
  const [sx, sy] = [await mediaStats(x), await mediaStats(y)];
  const [lx, ly] = [await localPorts(x), await localPorts(y)];
  for (const [page, pair, others] of [
    [x, sx.pair, ly],
    [y, sy.pair, lx],
  ] as const) {
    expect(pair, `${page.engine}: a selected candidate pair`).toBeDefined();
    expect(pair?.local.type).not.toBe('relay');
    expect(pair?.remote.type).not.toBe('relay');
    expect(others, `${page.engine}: the pair ends at the other browser`).toContain(pair?.remote.port);
    expect(pair?.remote.port).not.toBe(enginePort());
  }
}

/** The ports of the page's own ICE candidates on its current media path. */
function localPorts(page: MeetingPage): Promise<number[]> {
  return page.evaluate(async () => {
    const report = await globalThis.conclave?.conference.getStats();
    const ports: number[] = [];
    report?.forEach((s: Record<string, unknown>) => {
      if (s.type === 'local-candidate') ports.push(Number(s.port));
    });
    return ports;
  });
}

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
