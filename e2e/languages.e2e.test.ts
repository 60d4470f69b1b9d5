import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import {
  type Browser,
  type Frame,
  firefoxMeetings,
  launchChromium,
  launchFirefox,
  type Page,
} from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * The web UI's languages (docs/web.md, "Languages") in real Chromium: the browser's language list
 * (Playwright's `locale`, which sets navigator.languages and Accept-Language) picks German or
 * French, `<html lang>` follows, and the pre-join page and the meeting's controls speak it, down
 * to their aria-labels. The embedding API's `lang` wins over the browser's choice. English stays
 * the default, which is what every other e2e test relies on.
 */

const WAIT = 60_000;
let server: TestServer;
let browser: Browser;
let host: { origin: string; close(): Promise<void> };

async function startHostSite(): Promise<{ origin: string; close(): Promise<void> }> {
  const http: Server = createServer((_req, res) => {
    res
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><title>Host</title><div id="meet"></div><script src="${server.url}/external_api.js"></script>`,
      );
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

beforeAll(async () => {
  host = await startHostSite();
  server = await startTestServer(
    { web: { frameAncestors: [host.origin] }, limits: { joinsPerMinute: 1000, joinBurst: 1000 } },
    { ui: 'built' },
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await host?.close();
});

async function pageIn(locale: string): Promise<Page> {
  const context = await browser.newContext({ locale });
  onTestFinished(() => context.close().catch(() => {}));
  context.setDefaultTimeout(WAIT);
  return context.newPage();
}

const htmlLang = (page: Page | Frame) => page.evaluate(() => document.documentElement.lang);
const label = (page: Page | Frame, testid: string) => page.getByTestId(testid).getAttribute('aria-label');
const text = (page: Page | Frame, testid: string) => page.getByTestId(testid).textContent();

/** What the pre-join page and the meeting say in one language, test id by test id. */
interface Expected {
  lang: string;
  join: string;
  micLabel: string;
  cameraLabel: string;
  leave: string;
  peopleLabel: string;
  inviteLabel: string;
  toolbarLabel: string;
}

const GERMAN: Expected = {
  lang: 'de',
  join: 'Teilnehmen',
  micLabel: 'Mikrofon stummschalten',
  cameraLabel: 'Kamera ausschalten',
  leave: 'Verlassen',
  peopleLabel: 'Personen',
  inviteLabel: 'Personen einladen',
  toolbarLabel: 'Meeting-Steuerung',
};

const FRENCH: Expected = {
  lang: 'fr',
  join: 'Rejoindre',
  micLabel: 'Couper le micro',
  cameraLabel: 'Couper la caméra',
  leave: 'Quitter',
  peopleLabel: 'Participants',
  inviteLabel: 'Inviter des personnes',
  toolbarLabel: 'Commandes de la réunion',
};

const ENGLISH: Expected = {
  lang: 'en',
  join: 'Join meeting',
  micLabel: 'Mute microphone',
  cameraLabel: 'Turn camera off',
  leave: 'Leave',
  peopleLabel: 'People',
  inviteLabel: 'Invite people',
  toolbarLabel: 'Meeting controls',
};

async function checkMeeting(page: Page | Frame, expected: Expected): Promise<void> {
  await page.getByTestId('meeting-leave').waitFor();
  expect(await htmlLang(page)).toBe(expected.lang);
  expect((await text(page, 'meeting-leave'))?.trim()).toBe(expected.leave);
  expect(await label(page, 'mute-audio')).toBe(expected.micLabel);
  expect(await label(page, 'toggle-participants')).toBe(expected.peopleLabel);
  expect(await label(page, 'invite-toggle')).toBe(expected.inviteLabel);
  expect(await page.locator('nav.toolbar').getAttribute('aria-label')).toBe(expected.toolbarLabel);
}

describe('languages', () => {
  for (const [locale, expected] of [
    ['de-DE', GERMAN],
    ['fr-FR', FRENCH],
    ['en-US', ENGLISH],
  ] as const) {
    it(`a ${locale} browser gets the pre-join page and the meeting in "${expected.lang}"`, async () => {
      const page = await pageIn(locale);
      await page.goto(`${server.url}/Amber-Lantern-Choir-${expected.lang}#name=Ann&video=0`);
      await page.getByTestId('prejoin-join').waitFor();
      expect(await htmlLang(page)).toBe(expected.lang);
      expect(await text(page, 'prejoin-join')).toBe(expected.join);
      expect(await label(page, 'prejoin-audio')).toBe(expected.micLabel);
      expect(await label(page, 'prejoin-video')).toBe(expected.cameraLabel);
      await page.getByTestId('prejoin-join').click();
      await checkMeeting(page, expected);
    });
  }

  it('picks the first language of the list that the UI speaks, and #lang= before the browser', async () => {
    const page = await pageIn('es-ES');
    // Spanish is not spoken; the next preference is.
    await page.addInitScript(() => {
      Object.defineProperty(navigator, 'languages', { get: () => ['es-ES', 'fr-CA', 'de-DE'] });
    });
    await page.goto(`${server.url}/`);
    await page.getByTestId('welcome-start').waitFor();
    expect(await htmlLang(page)).toBe('fr');
    expect(await text(page, 'welcome-start')).toBe('Démarrer la réunion');
    // An explicit #lang= (what the embedding API passes) comes first.
    await page.goto(`${server.url}/Amber-Lantern-Choir#lang=de`);
    await page.getByTestId('prejoin-join').waitFor();
    expect(await htmlLang(page)).toBe('de');
    expect(await text(page, 'prejoin-join')).toBe(GERMAN.join);
  });

  it('Firefox: intl.accept_languages picks the language too', async () => {
    const firefox = await launchFirefox({ prefs: { 'intl.accept_languages': 'fr-CH, de-DE, en' } });
    onTestFinished(() => firefox.close());
    const page = await firefoxMeetings(firefox).newPage();
    onTestFinished(() => page.close());
    await page.goto(`${server.url}/Amber-Lantern-Choir-ff#video=0`);
    const seen = await eventually(
      () =>
        page.evaluate(() => {
          const join = document.querySelector('[data-testid="prejoin-join"]');
          const mic = document.querySelector('[data-testid="prejoin-audio"]');
          return join && mic
            ? {
                lang: document.documentElement.lang,
                join: join.textContent,
                mic: mic.getAttribute('aria-label'),
              }
            : undefined;
        }),
      'the pre-join page in Firefox',
      WAIT,
    );
    expect(seen).toEqual({ lang: 'fr', join: FRENCH.join, mic: FRENCH.micLabel });
  });

  it("the embedding API's lang sets the meeting's language, whatever the browser's", async () => {
    const page = await pageIn('de-DE');
    await page.goto(`${host.origin}/`);
    await page.evaluate((domain) => {
      const Api = (window as unknown as Record<string, unknown>).ConclaveExternalAPI as new (
        domain: string,
        options: object,
      ) => unknown;
      new Api(domain, {
        roomName: 'Amber-Lantern-Choir-embed',
        parentNode: document.getElementById('meet'),
        width: 900,
        height: 600,
        userInfo: { displayName: 'Ann' },
        lang: 'fr',
        configOverwrite: { startWithVideoMuted: true },
      });
    }, new URL(server.url).host);
    const frame = await eventually(
      async () => page.frames().find((f) => f !== page.mainFrame() && f.name().startsWith('conclaveFrame')),
      'the Conclave iframe',
      WAIT,
    );
    await checkMeeting(frame, FRENCH);
  });
});
