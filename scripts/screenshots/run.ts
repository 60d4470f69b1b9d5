/**
 * Screenshots of the web client for docs/web.md: the pre-join screen and a two-person meeting, at
 * desktop (1280×800) and phone (390×844) size, in real Chromium against a real server with the
 * built UI. Run from the repository root, as root (a loopback-only network namespace):
 *
 *   npm run build && bash scripts/screenshots/run.sh
 *
 * Writes docs/screenshots/<size>-<view>.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer } from '@conclave/testkit';
import { type Browser, launchChromium, type Page } from '@conclave/testkit/browser';

const OUT = join(process.cwd(), 'docs', 'screenshots');
const SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
const ROOM = 'SilverKitesCrossTheBay';

async function page(browser: Browser, size: keyof typeof SIZES): Promise<Page> {
  const context = await browser.newContext({
    viewport: SIZES[size],
    deviceScaleFactor: size === 'phone' ? 2 : 1,
    isMobile: size === 'phone',
    hasTouch: size === 'phone',
  });
  return context.newPage();
}

async function shoot(target: Page, name: string): Promise<void> {
  // Let videos show frames and transitions end.
  await target.waitForTimeout(1500);
  await target.screenshot({ path: join(OUT, `${name}.png`) });
  process.stdout.write(`docs/screenshots/${name}.png\n`);
}

mkdirSync(OUT, { recursive: true });
const server = await startTestServer({}, { ui: 'built' });
const browser = await launchChromium();
try {
  for (const size of Object.keys(SIZES) as (keyof typeof SIZES)[]) {
    const room = `${ROOM}${size === 'phone' ? 'Phone' : ''}`;
    const ann = await page(browser, size);
    await ann.goto(`${server.url}/${room}#name=Ann%20Example`);
    await ann.getByTestId('prejoin-join').waitFor();
    await shoot(ann, `${size}-prejoin`);
    await ann.getByTestId('prejoin-join').click();
    await ann.getByTestId('self-tile').waitFor();
    const ben = await page(browser, size);
    await ben.goto(`${server.url}/${room}#name=Ben%20Example&prejoin=0`);
    await ann.getByTestId('remote-video').waitFor({ timeout: 30_000 });
    await shoot(ann, `${size}-meeting`);
    if (size === 'phone') {
      await ann.getByTestId('toolbar-more').click();
      await shoot(ann, `${size}-meeting-more`);
    }
    await ben.context().close();
    await ann.context().close();
  }
} finally {
  await browser.close();
  await server.close();
}
