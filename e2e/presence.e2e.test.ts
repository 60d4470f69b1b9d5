import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import { type Browser, type Locator, launchChromium, type Page } from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * Raise hand, reactions, keyboard shortcuts, invite and end-for-all through the real UI, in real
 * Chromium against the real server (issue 14). Each page has its own browser context, as separate
 * people would. The tests wait for behaviour, never for a fixed time. Runs inside the tests'
 * loopback-only network namespace.
 */

let server: TestServer;
let browser: Browser;
const TEST_TIMEOUT = 300_000;
const WAIT = 60_000;
/** Content-Security-Policy violations and uncaught page errors, across all pages. */
const pageProblems: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ limits: { joinsPerMinute: 1000, joinBurst: 1000 } }, { ui: 'built' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  expect(pageProblems).toEqual([]);
});

async function openMeeting(room: string, name: string, fragment = ''): Promise<Page> {
  const context = await browser.newContext();
  onTestFinished(() => context.close());
  context.setDefaultTimeout(WAIT);
  // The invite test reads back what "Copy link" wrote.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageProblems.push(`${name}: ${error.message}`));
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) pageProblems.push(`${name}: ${message.text()}`);
  });
  // Cameras off: these tests are about controls, and encoding video would only slow the machine.
  await page.goto(`${server.url}/${room}#name=${encodeURIComponent(name)}&prejoin=0&video=0${fragment}`);
  await page.getByTestId('meeting-room').waitFor({ state: 'visible' });
  return page;
}

const visible = (locator: Locator) => locator.waitFor({ state: 'visible' });
const gone = (locator: Locator) => locator.waitFor({ state: 'hidden' });

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  await eventually(async () => ((await check()) ? true : undefined), what, WAIT);
}

function person(page: Page, name: string): Locator {
  return page
    .getByTestId('participant-item')
    .filter({ has: page.getByTestId('participant-name').getByText(name, { exact: true }) });
}

function tileOf(page: Page, name: string): Locator {
  return page.getByTestId('remote-tile').filter({ has: page.getByText(name, { exact: true }) });
}

async function seesPeople(page: Page, count: number): Promise<void> {
  await until(`${count} people`, async () => (await page.getByTestId('participant-item').count()) === count);
}

const pressed = (locator: Locator) => locator.getAttribute('aria-pressed');

describe('presence in Chromium', () => {
  it(
    'raise hand: the queue in order for everyone; a moderator lowers a hand; reactions are announced',
    async () => {
      const room = 'CopperFinchesCircleTheOrchard';
      const bea = await openMeeting(room, 'Bea'); // first in: moderator
      const ann = await openMeeting(room, 'Ann');
      await seesPeople(bea, 2);
      await seesPeople(ann, 2);

      // Who Ann is: a reconnect (a new participant, whose old hand the server took down) would
      // change it, and would explain a queue that differs from what this test raised.
      const annId = await ann.evaluate(() => globalThis.conclave?.conference.self.id);
      await ann.getByTestId('raise-hand').click();
      await until(
        'Ann’s button pressed',
        async () => (await pressed(ann.getByTestId('raise-hand'))) === 'true',
      );
      const annForBea = person(bea, 'Ann');
      await visible(annForBea.getByTestId('hand-badge'));
      expect(await annForBea.getByTestId('hand-badge').getAttribute('data-position')).toBe('1');
      expect(await tileOf(bea, 'Ann').getByTestId('hand-badge').getAttribute('data-position')).toBe('1');

      // The moderator's own hand, raised through the Conference API, goes second.
      await bea.evaluate(() => globalThis.conclave?.conference.raiseHand());
      const badgeAt = (page: Page, name: string) =>
        person(page, name).getByTestId('hand-badge').getAttribute('data-position');
      await until(
        'Ann first and Bea second, as Ann sees it',
        async () => (await Promise.all([badgeAt(ann, 'Ann'), badgeAt(ann, 'Bea')])).join() === '1,2',
      );
      expect(await bea.evaluate(() => globalThis.conclave?.conference.hands.length)).toBe(2);
      expect(await ann.evaluate(() => globalThis.conclave?.conference.self.id)).toBe(annId);
      // A participant may not lower someone else's hand: the control is not offered to them.
      expect(await person(ann, 'Bea').getByTestId('lower-hand').count()).toBe(0);

      await annForBea.getByTestId('lower-hand').click();
      await gone(annForBea.getByTestId('hand-badge'));
      await until(
        'Ann’s button released',
        async () => (await pressed(ann.getByTestId('raise-hand'))) === 'false',
      );
      await visible(ann.getByText('A moderator lowered your hand.'));
      // Bea moves up to first place.
      await until('Bea first in the queue', async () => (await badgeAt(ann, 'Bea')) === '1');

      await ann.getByTestId('reactions-toggle').click();
      await ann.locator('[data-testid="reaction-button"][data-emoji="👏"]').click();
      await until('the reaction announced to Bea', async () =>
        ((await bea.getByTestId('reactions-live').textContent()) ?? '').includes('Ann reacted with applause'),
      );
      expect(await bea.getByTestId('reactions-live').getAttribute('aria-live')).toBe('polite');
      await visible(bea.getByTestId('reaction-float').filter({ hasText: '👏' }));
    },
    TEST_TIMEOUT,
  );

  it(
    'shortcuts toggle the microphone and chat, and never fire while typing or with a modifier',
    async () => {
      const room = 'OchreWillowsLeanTowardDusk';
      const ann = await openMeeting(room, 'Ann');
      const mic = ann.getByTestId('mute-audio');
      await until('microphone on', async () => (await pressed(mic)) === 'false');

      await ann.keyboard.press('m');
      await until('microphone muted by M', async () => (await pressed(mic)) === 'true');
      await ann.keyboard.press('Control+m');
      await ann.keyboard.press('Shift+M'); // a capital, not a command
      expect(await pressed(mic)).toBe('true');
      await ann.keyboard.press('m');
      await until('microphone on again', async () => (await pressed(mic)) === 'false');

      await ann.keyboard.press('c');
      const input = ann.getByTestId('chat-input');
      await visible(input);
      await until('chat input focused', async () =>
        ann.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'chat-input'),
      );
      await ann.keyboard.type('mvcpr?');
      expect(await input.inputValue()).toBe('mvcpr?');
      expect(await pressed(mic)).toBe('false');
      expect(await pressed(ann.getByTestId('raise-hand'))).toBe('false');
      expect(await ann.getByTestId('shortcuts-dialog').isVisible()).toBe(false);

      await input.blur();
      await ann.keyboard.press('r');
      await until('hand raised by R', async () => (await pressed(ann.getByTestId('raise-hand'))) === 'true');
      await ann.keyboard.press('?');
      await visible(ann.getByTestId('shortcuts-dialog'));
      const list = (await ann.getByTestId('shortcut-list').textContent()) ?? '';
      for (const key of ['M', 'V', 'C', 'P', 'R', '?']) expect(list).toContain(key);
      // The page behind an open dialog takes no shortcuts.
      await ann.keyboard.press('m');
      expect(await pressed(mic)).toBe('false');
    },
    TEST_TIMEOUT,
  );

  it(
    'P11: invite copies the meeting link, with the passphrase only when ticked and only in the fragment',
    async () => {
      const room = 'IndigoCranesFollowTheRiver';
      const plain = await openMeeting(room, 'Ann');
      await plain.getByTestId('invite-toggle').click();
      await visible(plain.getByTestId('invite-dialog'));
      // No E2EE here: nothing to include.
      expect(await plain.getByTestId('invite-include-key').isVisible()).toBe(false);
      await plain.getByTestId('invite-copy').click();
      await visible(plain.getByTestId('invite-status').getByText('Link copied.'));
      expect(await plain.evaluate(() => navigator.clipboard.readText())).toBe(`${server.url}/${room}`);

      const secretRoom = 'SaffronKitesClimbAboveTheDunes';
      const key = 'SENTINEL key/with?odd&chars #1';
      const enc = await openMeeting(secretRoom, 'Bea', `&e2ee=${encodeURIComponent(key)}`);
      await until(
        'E2EE on',
        async () => (await enc.getByTestId('e2ee-badge').getAttribute('data-state')) === 'on',
      );
      await enc.getByTestId('invite-toggle').click();
      const tick = enc.getByTestId('invite-include-key');
      await visible(tick);
      expect(await tick.isChecked()).toBe(false);
      await enc.getByTestId('invite-copy').click();
      await visible(enc.getByTestId('invite-status').getByText('Link copied.'));
      expect(await enc.evaluate(() => navigator.clipboard.readText())).toBe(`${server.url}/${secretRoom}`);

      await tick.check();
      await enc.getByTestId('invite-copy').click();
      await visible(enc.getByTestId('invite-status').getByText('Link with the passphrase copied.'));
      const copied = new URL(await enc.evaluate(() => navigator.clipboard.readText()));
      expect(copied.origin + copied.pathname).toBe(`${server.url}/${secretRoom}`);
      expect(copied.search).toBe('');
      expect(new URLSearchParams(copied.hash.slice(1)).get('e2ee')).toBe(key);

      // The link works: someone who opens it joins with the key and can decrypt.
      const guest = await openMeeting(secretRoom, 'Cyd', `&${copied.hash.slice(1)}`);
      await until(
        'guest encrypts',
        async () => (await guest.getByTestId('e2ee-badge').getAttribute('data-state')) === 'on',
      );
      expect(server.logs.join('')).not.toContain('SENTINEL');
    },
    TEST_TIMEOUT,
  );

  it(
    'end for all: only moderators see it, it asks first, and everyone gets the ended screen; leaving asks nothing',
    async () => {
      const room = 'MossyStonesHoldTheCreek';
      const bea = await openMeeting(room, 'Bea');
      const ann = await openMeeting(room, 'Ann');
      await seesPeople(bea, 2);
      expect(await ann.getByTestId('end-meeting').isVisible()).toBe(false);

      await bea.getByTestId('end-meeting').click();
      await visible(bea.getByTestId('end-meeting-dialog'));
      await bea.getByTestId('end-meeting-cancel').click();
      await gone(bea.getByTestId('end-meeting-dialog'));
      expect(server.rooms.participantCount).toBe(2);

      await bea.getByTestId('end-meeting').click();
      await bea.getByTestId('end-meeting-confirm').click();
      await visible(ann.getByTestId('meeting-ended-for-all'));
      expect(await ann.getByTestId('meeting-ended-for-all').textContent()).toContain(
        'The moderator ended the meeting',
      );
      await visible(bea.getByTestId('meeting-ended-for-all'));
      expect(await bea.getByTestId('meeting-ended-for-all').textContent()).toContain('You ended the meeting');
      await until('the room gone', async () => server.rooms.roomCount === 0);

      // Plain leaving: one click, no question.
      const cyd = await openMeeting('QuietLeaveMeetingRoom', 'Cyd');
      await cyd.getByTestId('meeting-leave').click();
      await visible(cyd.getByTestId('meeting-ended'));
      expect(await cyd.locator('dialog[open]').count()).toBe(0);
    },
    TEST_TIMEOUT,
  );
});
