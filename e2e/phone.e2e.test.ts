import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import { type Browser, launchChromium, type Page } from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * The meeting on a phone-sized screen (390×844, touch), as the review found it broken: the toolbar
 * wrapped to three rows, tiles stayed small 16:9 strips, one's own name was cut to "A…" by the
 * moderator badge. Asserted on layout boxes in real Chromium.
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

async function phone(room: string, name: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  onTestFinished(() => context.close().catch(() => {}));
  const page = await context.newPage();
  await page.goto(`${server.url}/${room}#name=${name}&prejoin=0`);
  return page;
}

describe('the meeting on a phone (390×844)', () => {
  it('one toolbar row with a More sheet; two tiles share the height; the own name is not cut by the moderator badge', async () => {
    const room = 'PocketSizedMeetingsWork';
    const ann = await phone(room, 'Annabelle%20Example');
    await phone(room, 'Ben');
    await ann.getByTestId('remote-tile').waitFor({ timeout: 30_000 });

    // One row: every control the toolbar shows is centred on the same line, inside the screen.
    const toolbar = await ann.locator('nav.toolbar').boundingBox();
    expect(toolbar?.height).toBeLessThan(100);
    const shown = await ann.locator('nav.toolbar button:visible').evaluateAll((buttons) =>
      buttons.map((b) => {
        const r = b.getBoundingClientRect();
        return {
          middle: Math.round(r.top + r.height / 2),
          right: r.right,
          label: b.getAttribute('aria-label') ?? b.textContent,
        };
      }),
    );
    expect(new Set(shown.map((b) => b.middle)).size).toBe(1);
    for (const b of shown) expect(b.right, String(b.label)).toBeLessThanOrEqual(390);
    await expect(ann.getByTestId('toggle-participants').isVisible()).resolves.toBe(false);

    // The sheet holds the rest; a control in it does its job and closes the sheet.
    await ann.getByTestId('toolbar-more').click();
    await expect(ann.getByTestId('toolbar-more').getAttribute('aria-expanded')).resolves.toBe('true');
    const people = ann.getByTestId('toggle-participants');
    await expect(people.isVisible()).resolves.toBe(true);
    const box = await people.boundingBox();
    expect(box && box.y + box.height).toBeLessThanOrEqual(844);
    await people.click();
    await eventually(
      async () => ((await ann.getByTestId('participant-list').isVisible()) ? true : undefined),
      'the people panel to open',
    );
    await expect(ann.getByTestId('toolbar-more').getAttribute('aria-expanded')).resolves.toBe('false');
    await people.evaluate((b: HTMLElement) => b.click()); // closes the panel again

    // Two tiles split the stage's height between them instead of staying 16:9 strips.
    const tiles = await ann
      .locator('[data-testid="self-tile"], [data-testid="remote-tile"]')
      .evaluateAll((list) => list.map((t) => t.getBoundingClientRect().height));
    expect(tiles).toHaveLength(2);
    for (const height of tiles) expect(height).toBeGreaterThan(250);

    // Annabelle is the moderator (first in): her name is shown whole beside the badge.
    const name = ann.getByTestId('self-tile').locator('.tile-name-text');
    await expect(name.textContent()).resolves.toBe('Annabelle Example (you)');
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  });
});
