import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import { type Browser, type Locator, launchChromium, type Page } from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * Meeting controls through the real UI, in real Chromium against the real server: password (P4),
 * lobby, moderation, private chat (P6), profile and speaker stats. Every page has its own browser
 * context, as separate people would. The tests wait for behaviour (an element, a text, a count),
 * never for a fixed time. Runs inside the tests' loopback-only network namespace.
 */

let server: TestServer;
let browser: Browser;
/**
 * Generous limits for a loaded machine (several Chromium pages encoding media on few cores): the
 * tests wait for behaviour, however long it takes within these bounds, never for a fixed time.
 */
const TEST_TIMEOUT = 300_000;
const WAIT = 60_000;
const requestedUrls: string[] = [];
/** Content-Security-Policy violations and uncaught page errors, across all pages. */
const pageProblems: string[] = [];

beforeAll(async () => {
  server = await startTestServer(
    // Every page comes from 127.0.0.1: the per-address join limit would otherwise refuse the later
    // tests' joins. The password limit stays at its default (P4).
    { limits: { joinsPerMinute: 1000, joinBurst: 1000 } },
    { ui: 'built' },
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openMeeting(
  room: string,
  name: string,
  options: { countSounds?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext();
  onTestFinished(() => context.close());
  if (options.countSounds) {
    // Counts the oscillators the page starts: the knock chime is synthesised locally, not fetched.
    await context.addInitScript(() => {
      const w = window as unknown as { oscillators: number };
      w.oscillators = 0;
      const original = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        w.oscillators++;
        return original.call(this);
      };
    });
  }
  context.setDefaultTimeout(WAIT);
  const page = await context.newPage();
  page.on('request', (request) => requestedUrls.push(request.url()));
  page.on('pageerror', (error) => pageProblems.push(`${name}: ${error.message}`));
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) pageProblems.push(`${name}: ${message.text()}`);
  });
  // Cameras off (video=0): these tests are about meeting controls, and encoding video in every page
  // would only slow a loaded machine down. Microphones stay on for speaker stats and mute requests.
  await page.goto(`${server.url}/${room}#name=${encodeURIComponent(name)}&prejoin=0&video=0`);
  return page;
}

const visible = (locator: Locator) => locator.waitFor({ state: 'visible' });
const gone = (locator: Locator) => locator.waitFor({ state: 'hidden' });

async function inMeeting(page: Page): Promise<void> {
  await visible(page.getByTestId('meeting-room'));
}

async function seesPeople(page: Page, count: number): Promise<void> {
  await eventually(
    async () => ((await page.getByTestId('participant-item').count()) === count ? true : undefined),
    `${count} people in the list`,
    WAIT,
  );
}

async function textOf(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

function person(page: Page, name: string): Locator {
  return page
    .getByTestId('participant-item')
    .filter({ has: page.getByTestId('participant-name').getByText(name, { exact: true }) });
}

describe('meeting controls in Chromium', () => {
  it(
    'P4: lock → wrong password refused → right password admitted',
    async () => {
      const room = 'VelvetHeronsGuardQuietHarbours';
      const secret = 'tangerine-SENTINEL-pass';
      const alice = await openMeeting(room, 'Alice');
      await inMeeting(alice);
      await gone(alice.getByTestId('lock-indicator'));

      await alice.getByTestId('lock-control').click();
      await visible(alice.getByTestId('lock-dialog'));
      await alice.getByTestId('lock-password').fill(secret);
      await alice.getByTestId('lock-save').click();
      await visible(alice.getByTestId('lock-indicator'));

      // Joining by link (#prejoin=0) lands on the password prompt, not in the meeting.
      const bob = await openMeeting(room, 'Bob');
      await visible(bob.getByTestId('password-prompt'));
      expect(await bob.getByTestId('meeting-room').count()).toBe(0);

      await bob.getByTestId('password-input').fill('not-the-password');
      await bob.getByTestId('password-submit').click();
      await eventually(
        async () =>
          (await textOf(bob.getByTestId('password-error'))).includes('not correct') ? true : undefined,
        'the wrong-password message',
        WAIT,
      );
      await visible(bob.getByTestId('password-prompt'));
      expect(server.rooms.participantCount).toBe(1);

      await bob.getByTestId('password-input').fill(secret);
      await bob.getByTestId('password-submit').click();
      await inMeeting(bob);
      await visible(bob.getByTestId('lock-indicator'));
      await seesPeople(alice, 2);
      // Only moderators get the lock control.
      expect(await bob.getByTestId('lock-control').isVisible()).toBe(false);

      // Removing the password unlocks the meeting for everyone.
      await alice.getByTestId('lock-control').click();
      await alice.getByTestId('lock-remove').click();
      await gone(alice.getByTestId('lock-indicator'));
      await gone(bob.getByTestId('lock-indicator'));

      expect(server.logs.join('')).not.toContain(secret);
    },
    TEST_TIMEOUT,
  );

  it(
    'lobby: a knock is announced with a sound and admitted; another is denied; one withdraws',
    async () => {
      const room = 'SilverLanternsDriftOverMeadows';
      const alice = await openMeeting(room, 'Alice', { countSounds: true });
      await inMeeting(alice);
      await alice.getByTestId('lobby-toggle').click();
      await eventually(
        async () =>
          (await alice.getByTestId('lobby-toggle').getAttribute('aria-pressed')) === 'true'
            ? true
            : undefined,
        'the lobby to be on',
        WAIT,
      );
      await visible(alice.getByTestId('lobby-indicator'));

      const bob = await openMeeting(room, 'Bob');
      await visible(bob.getByTestId('lobby-waiting'));
      // Someone waiting sees nothing of the meeting.
      expect(await bob.getByTestId('participant-list').count()).toBe(0);
      expect(await bob.getByTestId('tile-grid').count()).toBe(0);

      const bobKnock = alice.getByTestId('knock-notice').filter({ hasText: 'Bob' });
      await visible(bobKnock);
      expect(await bobKnock.getAttribute('data-knocker-id')).toBeTruthy();
      expect(
        await alice.evaluate(() => (window as unknown as { oscillators: number }).oscillators),
      ).toBeGreaterThan(0);

      await bobKnock.getByTestId('knock-admit').click();
      await inMeeting(bob);
      await gone(bobKnock);
      await seesPeople(alice, 2);

      const cyd = await openMeeting(room, 'Cyd');
      await visible(cyd.getByTestId('lobby-waiting'));
      const cydKnock = alice.getByTestId('knock-notice').filter({ hasText: 'Cyd' });
      await cydKnock.getByTestId('knock-deny').click();
      await visible(cyd.getByTestId('lobby-denied'));
      expect(await textOf(cyd.getByTestId('lobby-denied'))).toMatch(/declined/);
      await gone(cydKnock);
      expect(server.rooms.participantCount).toBe(2);

      // Cancel withdraws the knock: the moderator's notice goes away.
      const dan = await openMeeting(room, 'Dan');
      await visible(dan.getByTestId('lobby-waiting'));
      const danKnock = alice.getByTestId('knock-notice').filter({ hasText: 'Dan' });
      await visible(danKnock);
      await dan.getByTestId('lobby-cancel').click();
      await gone(danKnock);
      await visible(dan.getByTestId('prejoin-join'));
      await seesPeople(alice, 2);
    },
    TEST_TIMEOUT,
  );

  it(
    'P6: private chat reaches only its addressee',
    async () => {
      const room = 'AmberOrchardsEchoBeneathPines';
      const secret = 'SENTINEL-private-for-bob';
      const ann = await openMeeting(room, 'Ann');
      await inMeeting(ann);
      const ben = await openMeeting(room, 'Ben');
      await inMeeting(ben);
      const cyd = await openMeeting(room, 'Cyd');
      await inMeeting(cyd);
      for (const page of [ann, ben, cyd]) await seesPeople(page, 3);

      await ann.getByTestId('chat-toggle').click();
      await visible(ann.getByTestId('chat-panel'));
      await ann.getByTestId('chat-recipient').selectOption({ label: 'Ben' });
      await ann.getByTestId('chat-input').fill(secret);
      await ann.getByTestId('chat-send').click();

      // Ben's chat is closed: the message shows as unread first.
      await visible(ben.getByTestId('chat-unread'));
      expect(await textOf(ben.getByTestId('chat-unread'))).toBe('1');
      await ben.getByTestId('chat-toggle').click();
      await gone(ben.getByTestId('chat-unread'));
      const received = ben.getByTestId('chat-message').filter({ hasText: secret });
      await visible(received);
      expect(await received.getAttribute('data-private')).toBe('true');
      expect(await textOf(received.getByTestId('chat-private'))).toMatch(/private to you/i);
      expect(await textOf(received.getByTestId('chat-from'))).toBe('Ann');

      const sent = ann.getByTestId('chat-message').filter({ hasText: secret });
      await visible(sent);
      expect(await textOf(sent.getByTestId('chat-private'))).toMatch(/private to Ben/i);

      // A public message after it reaches Cyd, so Cyd's chat demonstrably works — and holds only that.
      await ann.getByTestId('chat-recipient').selectOption({ label: 'Everyone' });
      await ann.getByTestId('chat-input').fill('hello everyone');
      await ann.getByTestId('chat-input').press('Enter');
      await visible(cyd.getByTestId('chat-unread'));
      await cyd.getByTestId('chat-toggle').click();
      const cydMessages = cyd.getByTestId('chat-message');
      await visible(cydMessages.filter({ hasText: 'hello everyone' }));
      expect(await cydMessages.count()).toBe(1);
      expect(await cydMessages.first().getAttribute('data-private')).toBe('false');
      expect(await cyd.content()).not.toContain(secret);
      await eventually(
        async () => ((await ben.getByTestId('chat-message').count()) === 2 ? true : undefined),
        'Ben to see both messages',
        WAIT,
      );

      // The input enforces the length limit: a longer paste is cut at 2000 characters.
      await cyd.getByTestId('chat-input').fill('x'.repeat(2100));
      expect((await cyd.getByTestId('chat-input').inputValue()).length).toBe(2000);
      expect(await textOf(cyd.getByTestId('chat-count'))).toBe('2000 / 2000');

      expect(server.logs.join('')).not.toContain(secret);
    },
    TEST_TIMEOUT,
  );

  it(
    'chat refusals from the server (CHAT_RATE_LIMITED) are shown in the chat',
    async () => {
      const page = await openMeeting('CobaltFinchesTendWildGardens', 'Eve');
      await inMeeting(page);
      await page.getByTestId('chat-toggle').click();
      const input = page.getByTestId('chat-input');
      // More than the default burst (10) at once, each submitted through the chat form. In one page
      // call, so how fast this machine types cannot decide whether the limit is reached.
      await input.evaluate((el: HTMLTextAreaElement) => {
        for (let i = 0; i < 16; i++) {
          el.value = `message ${i}`;
          el.form?.requestSubmit();
        }
      });
      await eventually(
        async () => ((await textOf(page.getByTestId('chat-error'))).includes('too fast') ? true : undefined),
        'the rate-limit message',
        WAIT,
      );
      // The refused text is given back to be sent again.
      expect(await input.inputValue()).toMatch(/^message \d+$/);
    },
    TEST_TIMEOUT,
  );

  it(
    'moderation: ask to mute, profile, make moderator, speaker stats, then kick',
    async () => {
      const room = 'CrimsonMaplesWhisperAtDawn';
      const alice = await openMeeting(room, 'Alice');
      await inMeeting(alice);
      const bob = await openMeeting(room, 'Bob');
      await inMeeting(bob);
      await seesPeople(alice, 2);
      // Moderator tools are for moderators only.
      expect(await bob.getByTestId('participant-menu').count()).toBe(0);
      expect(await bob.getByTestId('mute-all').isVisible()).toBe(false);

      const bobItem = person(alice, 'Bob');
      await bobItem.getByTestId('participant-menu').click();
      await alice.getByTestId('request-mute').click();
      await visible(bob.getByTestId('mute-notice'));
      expect(await textOf(bob.getByTestId('mute-notice'))).toMatch(/moderator muted your microphone/);
      expect(await bob.getByTestId('mute-audio').getAttribute('aria-pressed')).toBe('true');
      await visible(bobItem.getByTestId('participant-audio-muted'));

      // Bob changes his name and shares an e-mail; Alice sees both.
      await bob.getByTestId('profile-edit').click();
      await bob.getByTestId('profile-name').fill('Bobby <b>Tables</b>');
      await bob.getByTestId('profile-email').fill('bobby@example.org');
      await bob.getByTestId('profile-save').click();
      const bobby = person(alice, 'Bobby <b>Tables</b>');
      await visible(bobby);
      expect(await textOf(bobby.getByTestId('participant-email'))).toBe('bobby@example.org');
      // Markup in a name stays text.
      expect(await alice.locator('b', { hasText: 'Tables' }).count()).toBe(0);

      await bobby.getByTestId('participant-menu').click();
      await alice.getByTestId('make-moderator').click();
      await visible(bob.getByTestId('lock-control'));
      await visible(bobby.getByTestId('moderator-badge'));

      await alice.getByTestId('speaker-stats-toggle').click();
      const stats = alice.getByTestId('speaker-stats');
      await visible(stats);
      await eventually(
        async () => ((await stats.getByTestId('speaker-stats-row').count()) === 2 ? true : undefined),
        'a speaker-stats row per participant',
        WAIT,
      );
      for (const time of await stats.getByTestId('speaker-stats-time').allTextContents()) {
        expect(time).toMatch(/^\d{2,}:\d{2}$/);
      }
      expect(await stats.getByTestId('speaker-stats-name').allTextContents()).toEqual(
        expect.arrayContaining(['You', 'Bobby <b>Tables</b>']),
      );
      await alice.keyboard.press('Escape');
      await gone(stats);

      await bobby.getByTestId('participant-menu').click();
      await alice.getByTestId('kick').click();
      await visible(alice.getByTestId('kick-dialog'));
      await alice.getByTestId('kick-confirm').click();
      await visible(bob.getByTestId('meeting-kicked'));
      expect(await textOf(bob.getByTestId('meeting-kicked'))).toMatch(/You were removed from the meeting/);
      await seesPeople(alice, 1);
      expect(server.rooms.participantCount).toBe(1);
    },
    TEST_TIMEOUT,
  );

  it('P8: the pages requested nothing from any other origin, and the CSP was never violated', () => {
    expect(requestedUrls.length).toBeGreaterThan(0);
    const origins = new Set(requestedUrls.map((u) => new URL(u).origin));
    expect([...origins]).toEqual([new URL(server.url).origin]);
    expect(pageProblems).toEqual([]);
  });

  it('P7: the server logs name neither the rooms, the people nor what they wrote', () => {
    const logs = server.logs.join('').toLowerCase();
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [
      'velvetherons',
      'amberorchards',
      'crimsonmaples',
      'alice',
      'bobby',
      'example.org',
      'hello everyone',
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});
