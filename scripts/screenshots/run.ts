/**
 * Screenshots of the web client for docs/web.md: the pre-join screen and a two-person meeting, at
 * desktop (1280×800) and phone (390×844) size, in each language of the UI (the browser's locale
 * picks it, as for a real visitor), in real Chromium against a real server with the built UI. Run
 * from the repository root, as root (a loopback-only network namespace):
 *
 *   npm run build && bash scripts/screenshots/run.sh
 *
 * Writes docs/screenshots/<size>-<view>.png (English) and docs/screenshots/<lang>/<size>-<view>.png.
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
/** Browser locale per UI language; '' is the folder (English stays at the top, as before). */
const LANGUAGES = [
  { dir: '', locale: 'en-US' },
  { dir: 'de', locale: 'de-DE' },
  { dir: 'fr', locale: 'fr-FR' },
] as const;

async function page(browser: Browser, size: keyof typeof SIZES, locale: string): Promise<Page> {
  const context = await browser.newContext({
    locale,
    viewport: SIZES[size],
    deviceScaleFactor: size === 'phone' ? 2 : 1,
    isMobile: size === 'phone',
    hasTouch: size === 'phone',
  });
  return context.newPage();
}

async function shoot(target: Page, dir: string, name: string): Promise<void> {
  // Let videos show frames and transitions end.
  await target.waitForTimeout(1500);
  await target.screenshot({ path: join(OUT, dir, `${name}.png`) });
  process.stdout.write(`docs/screenshots/${dir ? `${dir}/` : ''}${name}.png\n`);
}

for (const { dir } of LANGUAGES) mkdirSync(join(OUT, dir), { recursive: true });
const server = await startTestServer({}, { ui: 'built' });
const browser = await launchChromium();
try {
  for (const { dir, locale } of LANGUAGES) {
    for (const size of Object.keys(SIZES) as (keyof typeof SIZES)[]) {
      const room = `${ROOM}${size === 'phone' ? 'Phone' : ''}${dir.toUpperCase()}`;
      const ann = await page(browser, size, locale);
      await ann.goto(`${server.url}/${room}#name=Ann%20Example`);
      await ann.getByTestId('prejoin-join').waitFor();
      await shoot(ann, dir, `${size}-prejoin`);
      await ann.getByTestId('prejoin-join').click();
      await ann.getByTestId('self-tile').waitFor();
      const ben = await page(browser, size, locale);
      await ben.goto(`${server.url}/${room}#name=Ben%20Example&prejoin=0`);
      await ann.getByTestId('remote-video').waitFor({ timeout: 30_000 });
      await shoot(ann, dir, `${size}-meeting`);
      if (size === 'phone') {
        await ann.getByTestId('toolbar-more').click();
        await shoot(ann, dir, `${size}-meeting-more`);
      }
      await ben.context().close();
      await ann.context().close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
