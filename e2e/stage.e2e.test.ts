import { downlinkEstimatesArrived, eventually, startTestServer, type TestServer } from '@conclave/testkit';
import { type Browser, launchChromium, type Page, received, withoutCamera } from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * Tile view, speaker view and pin in real Chromium (issue 13), inside the tests' loopback-only
 * namespace. Through the SFU with simulcast: Ann (no camera, a 1280×800 window) watches Ben and Cyd
 * (cameras, small windows, so they ask each other for small layers only). Only Cyd's microphone is
 * on, so the SFU's audio levels make her the dominant speaker. T puts her on Ann's stage; Ann pins
 * Ben from his tile and his video on her page climbs to his top simulcast layer while Cyd's, now in
 * the filmstrip, is a small one; unpinning from the people panel gives the stage back to Cyd and
 * Ben drops back. The view is remembered for the meeting only: nothing in the page's storage, and
 * a rejoin starts in tile view. On a phone, in P2P: the stage on top, a scrolling filmstrip below.
 * Asserted on decoded frame sizes and layout boxes, never on timings.
 */

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({ media: { simulcast: true } }, { ui: 'built' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openMeeting(
  room: string,
  name: string,
  context: { viewport: { width: number; height: number }; isMobile?: boolean; hasTouch?: boolean },
  camera = true,
): Promise<Page> {
  const ctx = await browser.newContext({ deviceScaleFactor: 1, ...context });
  onTestFinished(() => ctx.close().catch(() => {}));
  if (!camera) await withoutCamera(ctx);
  const page = await ctx.newPage();
  await page.goto(`${server.url}/${room}#name=${name}&prejoin=0`);
  await eventually(
    () => page.evaluate(() => (globalThis.conclave?.conference ? true : undefined)),
    `${name} joined`,
  );
  return page;
}

const selfId = (page: Page) => page.evaluate(() => globalThis.conclave?.conference?.self.id ?? '');
const mode = (page: Page) => page.evaluate(() => globalThis.conclave?.conference?.mediaMode);
const toggle = (page: Page) => page.getByTestId('view-toggle');
/** Whose tile is on the stage, or null when the stage is hidden. */
const staged = (page: Page) =>
  page.evaluate(() => {
    const stage = document.querySelector<HTMLElement>('[data-testid="speaker-stage"]');
    if (!stage || stage.hidden) return null;
    return stage.querySelector<HTMLElement>('[data-participant-id]')?.dataset.participantId ?? null;
  });
const tileOf = (page: Page, id: string) => page.locator(`.tile[data-participant-id="${id}"]`);

/**
 * The height of the top simulcast layer `page` sends: its camera's capture height (the top layer is
 * not scaled down). Read from the track, not from getStats: nobody shows a large tile yet, so the
 * top layer is paused (docs/sfu.md, paused layers) and reports no frame size.
 */
async function topLayer(page: Page): Promise<number> {
  return eventually(
    () =>
      page.evaluate(
        () =>
          globalThis.conclave?.conference?.localTracks.find((t) => t.kind === 'video')?.getSettings()
            .height || undefined,
      ),
    'a camera capture height',
  );
}

/** Waits until `viewer` decodes `from`'s video at a height that `fits`, frames still advancing. */
async function decodedHeight(
  viewer: Page,
  from: string,
  fits: (height: number) => boolean,
  what: string,
): Promise<number> {
  const first = await eventually(
    async () => {
      const v = (await received(viewer))[from];
      return v && v.framesDecoded > 0 && fits(v.frameHeight) ? v : undefined;
    },
    what,
    60_000,
  );
  const later = await eventually(
    async () => {
      const v = (await received(viewer))[from];
      return v && v.framesDecoded >= first.framesDecoded + 10 ? v : undefined;
    },
    `${what}: frames advancing`,
    30_000,
  );
  expect(fits(later.frameHeight), `${what}: still (${later.frameHeight})`).toBe(true);
  return later.frameHeight;
}

describe('tile view, speaker view and pin in Chromium', () => {
  it('SFU: T stages the dominant speaker; a pin puts Ben on the stage at his top layer while Cyd in the filmstrip gets a small one; unpin gives the stage back; the view is not kept', async () => {
    const room = 'SilverStagesTurnSlowly';
    const ann = await openMeeting(room, 'Ann', { viewport: { width: 1280, height: 800 } }, false);
    const ben = await openMeeting(room, 'Ben', { viewport: { width: 480, height: 320 } });
    const cyd = await openMeeting(room, 'Cyd', { viewport: { width: 480, height: 320 } });
    for (const page of [ann, ben, cyd])
      await eventually(async () => ((await mode(page)) === 'sfu' ? true : undefined), 'SFU mode');
    const [annId, benId, cydId] = [await selfId(ann), await selfId(ben), await selfId(cyd)];
    // The layers judged below follow the viewers' downlink estimates, so let those exist first:
    // Chromium's first REMB can come 10 s or more into the call (BENCHMARKS.md, impaired network),
    // and until it does the SFU allocates as if the downlink were unbounded. A CI run once saw Ann
    // reach the pinned top layer and drop to 360p ten frames later, most likely at that moment.
    await downlinkEstimatesArrived(server);
    // Only Cyd's microphone stays on: she becomes the dominant speaker.
    for (const page of [ann, ben]) await page.getByTestId('mute-audio').click();
    const top = await topLayer(ben);
    expect(top).toBeGreaterThanOrEqual(540);

    // Tile view to start with: no stage, everyone in the grid.
    await expect(toggle(ann).getAttribute('aria-label')).resolves.toBe('Speaker view');
    await expect(toggle(ann).getAttribute('aria-pressed')).resolves.toBe('false');
    expect(await staged(ann)).toBeNull();
    await decodedHeight(ann, benId, (h) => h > 0 && h < top, 'Ann: Ben in a grid tile, below the top layer');

    // T is listed among the shortcuts, and switches to speaker view with the speaker on the stage.
    await ann.keyboard.press('?');
    await expect(ann.getByTestId('shortcut-list').textContent()).resolves.toMatch(
      /T\s*Switch between tile view and speaker view/,
    );
    await ann.keyboard.press('Escape');
    await eventually(
      async () => ((await ann.locator('dialog[open]').count()) === 0 ? true : undefined),
      'the shortcuts dialog to close',
    );
    await ann.keyboard.press('t');
    await expect(toggle(ann).getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(toggle(ann).getAttribute('aria-keyshortcuts')).resolves.toBe('T');
    await eventually(
      () => ann.evaluate(() => globalThis.conclave?.conference?.dominantSpeaker ?? undefined),
      'a dominant speaker',
    );
    await eventually(
      async () => ((await staged(ann)) === cydId ? true : undefined),
      'Cyd on the stage',
      60_000,
    );
    // The speaker's ring shows at a glance.
    await expect(tileOf(ann, cydId).getAttribute('class')).resolves.toMatch(/\bdominant\b/);
    const ring = await tileOf(ann, cydId).evaluate((el) => getComputedStyle(el).boxShadow);
    expect(ring).toMatch(/rgba\(61, 214, 140/);
    await expect(ann.getByTestId('tile-grid').getAttribute('class')).resolves.toMatch(/filmstrip/);

    // Ann pins Ben from his tile (the pin shows on hover).
    const pin = tileOf(ann, benId).getByTestId('tile-pin');
    await expect(pin.evaluate((el) => getComputedStyle(el).opacity)).resolves.toBe('0');
    await tileOf(ann, benId).hover();
    await eventually(
      async () => ((await pin.evaluate((el) => getComputedStyle(el).opacity)) === '1' ? true : undefined),
      'the pin to show on hover',
    );
    await expect(pin.getAttribute('aria-label')).resolves.toBe('Pin Ben');
    await pin.click();
    await expect(ann.evaluate(() => globalThis.conclave?.conference?.pinned)).resolves.toBe(benId);
    await expect(pin.getAttribute('aria-pressed')).resolves.toBe('true');
    await eventually(async () => ((await staged(ann)) === benId ? true : undefined), 'Ben on the stage');
    const stageHeight = await tileOf(ann, benId).evaluate((el) => el.clientHeight);
    expect(stageHeight).toBeGreaterThan(top * 0.6);
    await decodedHeight(ann, benId, (h) => h === top, 'Ann: pinned Ben at his top layer');
    const cydSmall = await decodedHeight(
      ann,
      cydId,
      (h) => h > 0 && h <= top / 2,
      'Ann: Cyd in the filmstrip',
    );
    expect(cydSmall).toBeLessThan(top);

    // Unpinned from the people panel: the stage goes back to the speaker, Ben back to a small layer.
    const inList = ann.locator(`[data-testid="participant-item"][data-participant-id="${benId}"]`);
    await expect(inList.getByTestId('participant-pin').getAttribute('aria-pressed')).resolves.toBe('true');
    await inList.getByTestId('participant-pin').click();
    await expect(ann.evaluate(() => globalThis.conclave?.conference?.pinned)).resolves.toBeNull();
    await expect(toggle(ann).getAttribute('aria-pressed')).resolves.toBe('true');
    await eventually(async () => ((await staged(ann)) === cydId ? true : undefined), 'Cyd back on the stage');
    await decodedHeight(ann, benId, (h) => h > 0 && h <= top / 2, 'Ann: Ben back in the filmstrip');
    await decodedHeight(ann, cydId, (h) => h === top, 'Ann: Cyd on the stage at her top layer');

    // T again: tile view, no stage.
    await ann.keyboard.press('t');
    await expect(toggle(ann).getAttribute('aria-pressed')).resolves.toBe('false');
    expect(await staged(ann)).toBeNull();
    await expect(ann.getByTestId('tile-grid').getAttribute('class')).resolves.not.toMatch(/filmstrip/);

    // Speaker view and a pin, then a rejoin: tile view, nobody pinned, nothing in the page's storage.
    await ann.keyboard.press('t');
    await ann.evaluate((id) => globalThis.conclave?.conference?.pin(id), cydId);
    await expect(toggle(ann).getAttribute('aria-pressed')).resolves.toBe('true');
    const stored = () => ann.evaluate(() => localStorage.length + sessionStorage.length);
    expect(await stored()).toBe(0);
    await ann.reload();
    await eventually(
      async () => ((await selfId(ann)) && (await selfId(ann)) !== annId ? true : undefined),
      'Ann rejoined',
    );
    await ann.getByTestId('remote-tile').first().waitFor();
    await expect(toggle(ann).getAttribute('aria-pressed')).resolves.toBe('false');
    expect(await staged(ann)).toBeNull();
    await expect(ann.evaluate(() => globalThis.conclave?.conference?.pinned)).resolves.toBeNull();
    expect(await stored()).toBe(0);
  }, 240_000);

  it('P2P on a phone (390×844): a pin from the tile puts the stage on top and the others in a scrolling row', async () => {
    const room = 'PocketStagesHoldSteady';
    const ann = await openMeeting(room, 'Ann', {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const ben = await openMeeting(room, 'Ben', {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await eventually(async () => ((await mode(ann)) === 'p2p' ? true : undefined), 'P2P mode');
    const benId = await selfId(ben);
    await tileOf(ann, benId).waitFor();
    // No hover on a touch screen: the pin is always there.
    const pin = tileOf(ann, benId).getByTestId('tile-pin');
    await expect(pin.evaluate((el) => getComputedStyle(el).opacity)).resolves.toBe('1');
    await pin.tap();
    await eventually(async () => ((await staged(ann)) === benId ? true : undefined), 'Ben on the stage');
    const box = (testid: string) =>
      ann.getByTestId(testid).evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
      });
    const stage = await box('speaker-stage');
    const strip = await box('tile-grid');
    const toolbar = await ann.locator('nav.toolbar').evaluate((el) => el.getBoundingClientRect().top);
    // The stage on top takes most of the height; the filmstrip is one row below it, above the toolbar.
    expect(stage.bottom).toBeLessThanOrEqual(strip.top);
    expect(strip.bottom).toBeLessThanOrEqual(toolbar);
    expect(stage.height).toBeGreaterThan(strip.height * 2);
    expect(stage.right - stage.left).toBeGreaterThan(330);
    const film = await ann.getByTestId('tile-grid').evaluate((el) => ({
      overflowX: getComputedStyle(el).overflowX,
      tops: [...el.children].map((c) => Math.round(c.getBoundingClientRect().top)),
    }));
    expect(film.overflowX).toBe('auto');
    expect(new Set(film.tops).size).toBe(1);
    // Nothing sticks out sideways.
    expect(await ann.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  }, 120_000);
});
