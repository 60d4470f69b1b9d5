import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import { type Browser, launchChromium, type Page } from '@conclave/testkit/browser';
import { ForwardedMedia, forbiddenMaterial, leaks } from '@conclave/testkit/e2ee';
import { type SignallingProxy, startSignallingProxy } from '@conclave/testkit/standins';
import { afterAll, beforeAll, expect, onTestFinished } from 'vitest';

/*
 * What the E2EE browser files (e2ee*.e2e.test.ts) share: one server per file with a WebSocket proxy
 * in front of it that captures every signalling frame, a tap on the media the SFU forwards, one
 * Chromium, the pages' E2EE controls and readings, and the check that the capture holds no key.
 */

export interface E2eeRig {
  readonly server: TestServer;
  readonly proxy: SignallingProxy;
  readonly forwarded: ForwardedMedia;
  /** Opens the meeting through the proxy, straight in, with the passphrase in the invite link. */
  openMeeting(room: string, name: string, passphrase?: string, init?: () => void): Promise<Page>;
  /** Notes a (passphrase, meeting) in use, so that the capture is searched for keys derived from it. */
  remember(page: Page, passphrase: string): Promise<void>;
  /**
   * The server received neither a passphrase nor any key derived from the ones remembered, in any
   * signalling frame or log line; the capture holds at least `announcements` E2EE announcements.
   */
  expectNoKeyMaterial(announcements: number): Promise<void>;
}

/** Starts the file's server, proxy and Chromium in its beforeAll and stops them in its afterAll. */
export function e2eeRig(): E2eeRig {
  let server: TestServer | undefined;
  let proxy: SignallingProxy | undefined;
  let browser: Browser | undefined;
  let forwarded: ForwardedMedia | undefined;
  /** Every (passphrase, meetingId) used in this file, to search the capture for derived keys. */
  const keyUses = new Map<string, { passphrase: string; meetingId: string }>();
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the E2EE rig is used before its beforeAll ran');
    return value;
  };

  beforeAll(async () => {
    server = await startTestServer({ p2p: { backToP2PDelay: 1 } }, { ui: 'built' });
    forwarded = new ForwardedMedia(server);
    proxy = await startSignallingProxy(server.url);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.close();
  });

  return {
    get server() {
      return started(server);
    },
    get proxy() {
      return started(proxy);
    },
    get forwarded() {
      return started(forwarded);
    },
    async openMeeting(room, name, passphrase, init) {
      const context = await started(browser).newContext();
      // Closed when this attempt ends: a failed attempt's pages must not linger in the room its retry joins.
      onTestFinished(() => context.close().catch(() => {}));
      if (init) await context.addInitScript(init);
      const page = await context.newPage();
      // A space in the fragment, exactly as someone would paste it; the browser percent-encodes it.
      const e2ee = passphrase ? `&e2ee=${passphrase}` : '';
      await page.goto(`${started(proxy).url}/${room}#name=${name}&prejoin=0${e2ee}`);
      await eventually(
        async () => (await page.evaluate(() => globalThis.conclave !== undefined)) || undefined,
        'joined',
        90_000,
      );
      return page;
    },
    async remember(page, passphrase) {
      const meetingId = await page.evaluate(() => conferenceOf().meetingId);
      keyUses.set(`${passphrase}\u0000${meetingId}`, { passphrase, meetingId });
    },
    async expectNoKeyMaterial(announcements) {
      const frames = started(proxy).frames;
      expect(frames.length).toBeGreaterThan(20);
      const texts = frames.map((f) => f.toString('utf8'));
      // The capture is the real thing: it holds the pages' E2EE announcements, and nothing more.
      const sent = texts.filter((t) => /"type"\s*:\s*"setE2EE"/.test(t));
      expect(sent.length).toBeGreaterThanOrEqual(announcements);
      for (const t of sent) expect(Object.keys(JSON.parse(t)).sort()).toEqual(['enabled', 'type']);

      const forbidden = await forbiddenMaterial([...keyUses.values()]);
      expect(forbidden.length).toBeGreaterThan(100);
      // The detector finds what it looks for: planted copies are caught.
      const planted = forbidden.find((f) => f.what.startsWith('meeting key'));
      expect(planted).toBeDefined();
      if (planted) {
        const b64 = Buffer.from(planted.bytes).toString('base64');
        expect(
          leaks([Buffer.from(`{"type":"chat","body":{"kind":"text","text":"${b64}"}}`)], forbidden),
        ).toContain(planted.what);
      }
      expect(
        leaks([Buffer.from('{"type":"chat","body":{"kind":"text","text":"secret%20phrase"}}')], forbidden),
      ).not.toEqual([]);

      expect(leaks(frames, forbidden)).toEqual([]);
      // The server's own trace logs hold none of it either.
      expect(leaks([Buffer.from(started(server).logs.join(''))], forbidden)).toEqual([]);
    },
  };
}

/** Takes away both encoded-transform APIs, as in a browser that cannot do E2EE at all. */
export function withoutEncodedTransforms(): void {
  const scope = globalThis as { RTCRtpScriptTransform?: unknown };
  delete scope.RTCRtpScriptTransform;
  delete (RTCRtpSender.prototype as { createEncodedStreams?: unknown }).createEncodedStreams;
  delete (RTCRtpReceiver.prototype as { createEncodedStreams?: unknown }).createEncodedStreams;
}

declare global {
  // The page's automation hook (packages/web/src/pages/meeting.ts); the tests only read it.
  var conclave: { conference: import('@conclave/client').Conference } | undefined;
  var conferenceOf: () => import('@conclave/client').Conference;
}

export async function selfId(page: Page): Promise<string> {
  await installHelpers(page);
  return page.evaluate(() => conferenceOf().self.id);
}

async function installHelpers(page: Page): Promise<void> {
  await page.evaluate(() => {
    globalThis.conferenceOf = () => {
      const c = globalThis.conclave?.conference;
      if (!c) throw new Error('not in a meeting');
      return c;
    };
  });
}

export async function e2eeOn(page: Page): Promise<boolean> {
  return page.evaluate(() => conferenceOf().e2eeEnabled);
}

export interface Inbound {
  video: number;
  audioEnergy: number;
  packets: number;
}

/** Per remote participant: video frames decoded, audio energy played, RTP packets received. */
export async function inbound(page: Page): Promise<Record<string, Inbound>> {
  return page.evaluate(async () => {
    const conference = conferenceOf();
    const owner = new Map(conference.remoteTracks.map((t) => [t.track.id, t.participantId]));
    const report = await conference.getStats();
    const out: Record<string, { video: number; audioEnergy: number; packets: number }> = {};
    report?.forEach((s: Record<string, unknown>) => {
      if (s.type !== 'inbound-rtp') return;
      const id = owner.get(String(s.trackIdentifier));
      if (!id) return;
      const entry = out[id] ?? { video: 0, audioEnergy: 0, packets: 0 };
      out[id] = entry;
      entry.packets += Number(s.packetsReceived ?? 0);
      if (s.kind === 'video') entry.video += Number(s.framesDecoded ?? 0);
      else entry.audioEnergy += Number(s.totalAudioEnergy ?? 0);
    });
    return out;
  });
}

export async function decodes(page: Page, from: string, what: string): Promise<void> {
  let last: unknown;
  await eventually(
    async () => {
      const all = await inbound(page);
      last = {
        all,
        tracks: await page.evaluate(() =>
          conferenceOf().remoteTracks.map((t) => [t.participantId, t.track.kind, t.track.id]),
        ),
        e2ee: await e2eeOn(page),
      };
      const s = all[from];
      return s && s.video > 10 && s.audioEnergy > 0 ? true : undefined;
    },
    what,
    90_000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; last seen: ${JSON.stringify(last)}`);
  });
}

/** Video from `from` keeps being decoded: 15 more frames within the wait. */
export async function keepsDecoding(page: Page, from: string): Promise<void> {
  const before = (await inbound(page))[from]?.video ?? 0;
  await eventually(
    async () => (((await inbound(page))[from]?.video ?? 0) > before + 15 ? true : undefined),
    `more frames from ${from}`,
    90_000,
  );
}

export async function waitForIndicator(page: Page, id: string, state: string): Promise<void> {
  const locator = page.locator(
    `[data-testid="remote-tile"][data-participant-id="${id}"] [data-testid="e2ee-indicator"]`,
  );
  await eventually(
    async () =>
      (await locator.getAttribute('data-state', { timeout: 1000 }).catch(() => null)) === state
        ? true
        : undefined,
    `indicator ${state} for ${id}`,
    90_000,
  );
}

export async function waitForBadge(page: Page, state: string): Promise<void> {
  await eventually(
    async () =>
      (await page.getByTestId('e2ee-badge').getAttribute('data-state')) === state ? true : undefined,
    `the badge to say ${state}`,
    90_000,
  );
}

/** Through the security dialog: apply a key, or turn E2EE off (null). */
export async function setKeyInDialog(page: Page, passphrase: string | null): Promise<void> {
  await page.getByTestId('security-toggle').click();
  const dialog = page.getByTestId('security-dialog');
  if (passphrase === null) {
    await dialog.getByTestId('e2ee-off').click();
  } else {
    await dialog.getByTestId('e2ee-key').fill(passphrase);
    await dialog.getByTestId('e2ee-apply').click();
  }
  await eventually(
    async () => ((await e2eeOn(page)) === (passphrase !== null) ? true : undefined),
    'E2EE to change',
    60_000,
  );
  await eventually(async () => ((await dialog.isVisible()) ? undefined : true), 'the dialog to close');
}

// A tiny matcher helper: visible within the generous e2e wait.
declare module 'vitest' {
  interface Assertion<T> {
    toBeVisibleSoon(): Promise<T>;
  }
}
expect.extend({
  async toBeVisibleSoon(received: { isVisible(): Promise<boolean> }) {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (await received.isVisible().catch(() => false)) return { pass: true, message: () => 'visible' };
      await new Promise((r) => setTimeout(r, 250));
    }
    return { pass: false, message: () => 'expected the element to become visible' };
  },
});
