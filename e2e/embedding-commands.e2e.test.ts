import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import {
  type Browser,
  hostCommand as command,
  conclaveFrame,
  hostEvents as eventsOf,
  type HostSite,
  launchChromium,
  openHostPage,
  type Page,
  hostParticipantsInfo as participantsInfo,
  selfId,
  startHostSite,
  waitForHostEvent,
} from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * The embedding API's commands and events (docs/embedding.md) in real Chromium: a host page on
 * another loopback origin (listed in web.frameAncestors) puts a meeting in an iframe and drives it,
 * and participants on plain meeting pages see the effect. Who may embed at all is
 * e2e/embedding.e2e.test.ts. Every wait is for behaviour (an event, a state), never a fixed time.
 */

const WAIT = 60_000;

let server: TestServer;
let browser: Browser;
let allowed: HostSite;

beforeAll(async () => {
  allowed = await startHostSite(() => server.url);
  server = await startTestServer(
    {
      web: { frameAncestors: [allowed.origin] },
      // Every page joins from 127.0.0.1; a retry must not run into the per-address join limit.
      limits: { joinsPerMinute: 1000, joinBurst: 1000 },
    },
    { ui: 'built' },
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await allowed?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  onTestFinished(() => context.close().catch(() => {}));
  context.setDefaultTimeout(WAIT);
  return context.newPage();
}

/** A host page with a meeting of `room` in its iframe; every API event is recorded. */
const hostPage = async (room: string, displayName: string): Promise<Page> =>
  openHostPage(await newPage(), allowed, { conclaveUrl: server.url, room, displayName });

const waitForEvent = (page: Page, name: string, match?: (data: Record<string, unknown>) => boolean) =>
  waitForHostEvent(page, name, match, WAIT);

/** A participant on a plain meeting page of the Conclave server itself. */
async function plainMeeting(room: string, name: string): Promise<Page> {
  const page = await newPage();
  await page.goto(`${server.url}/${room}#name=${name}&prejoin=0&video=0`);
  await page.getByTestId('meeting-room').waitFor();
  return page;
}

/** What a plain page's conference knows of the participant called `name`. */
const seenBy = (page: Page, name: string) =>
  page.evaluate((name) => {
    const conference = (globalThis as unknown as { conclave?: { conference: ConferenceView } }).conclave
      ?.conference;
    const p = [...(conference?.participants.values() ?? [])].find((x) => x.displayName === name);
    return p ? { audioMuted: p.audioMuted, videoMuted: p.videoMuted } : null;
  }, name);
type ConferenceView = {
  participants: Map<string, { displayName?: string; audioMuted: boolean; videoMuted: boolean }>;
  chat: { from: string; text: string | null }[];
  sendChat(text: string): Promise<void>;
};

describe('embedding API: commands and events', () => {
  it('a host page on an allowed origin joins, hears the meeting, and drives it through executeCommand', async () => {
    const room = 'Embed.Copper-Heron-Sails';
    const host = await hostPage(room, 'Alice');
    const joined = await waitForEvent(host, 'videoConferenceJoined');
    expect(joined).toMatchObject({ roomName: room, displayName: 'Alice' });
    // The meeting runs in the iframe, on the Conclave origin, skipping the pre-join page.
    expect(new URL(conclaveFrame(host).url()).origin).toBe(server.url);

    const bob = await plainMeeting(room, 'Bob');
    const bobJoined = await waitForEvent(host, 'participantJoined', (d) => d.displayName === 'Bob');

    await command(host, 'toggleAudio');
    await waitForEvent(host, 'audioMuteStatusChanged', (d) => d.muted === true);
    await eventually(
      async () => ((await seenBy(bob, 'Alice'))?.audioMuted ? true : undefined),
      'Bob sees Alice muted',
      WAIT,
    );

    await command(host, 'sendChatMessage', 'Hello from the host page');
    await eventually(
      async () => {
        const texts = await bob.evaluate(() =>
          (
            globalThis as unknown as { conclave: { conference: ConferenceView } }
          ).conclave.conference.chat.map((e) => e.text),
        );
        return texts.includes('Hello from the host page') ? true : undefined;
      },
      'the chat message at Bob',
      WAIT,
    );
    await bob.evaluate(() =>
      (globalThis as unknown as { conclave: { conference: ConferenceView } }).conclave.conference.sendChat(
        'Hi Alice',
      ),
    );
    const incoming = await waitForEvent(host, 'incomingMessage');
    expect(incoming).toMatchObject({
      from: bobJoined.id,
      nick: 'Bob',
      message: 'Hi Alice',
      privateMessage: false,
    });

    const people = await participantsInfo(host);
    expect(people.map((p) => [p.displayName, p.local]).sort()).toEqual([
      ['Alice', true],
      ['Bob', false],
    ]);
    expect(people.find((p) => p.local)?.audioMuted).toBe(true);

    // Raise hand goes through the meeting's own path: Bob sees the hand, the host hears of it.
    await command(host, 'toggleRaiseHand');
    await waitForEvent(host, 'raiseHandUpdated', (d) => d.id === joined.id && d.handRaised === true);
    await bob
      .getByTestId('participant-item')
      .filter({ hasText: 'Alice' })
      .getByTestId('hand-badge')
      .waitFor({ state: 'visible' });
    await command(host, 'toggleRaiseHand');
    await waitForEvent(host, 'raiseHandUpdated', (d) => d.id === joined.id && d.handRaised === false);

    // Screen sharing from the host page (headless Chromium's picker needs no user activation):
    // on, then off again, each told to the host.
    await command(host, 'toggleShareScreen');
    await waitForEvent(host, 'screenSharingStatusChanged', (d) => d.on === true);
    await command(host, 'toggleShareScreen');
    await waitForEvent(host, 'screenSharingStatusChanged', (d) => d.on === false);

    await command(host, 'hangup');
    await waitForEvent(host, 'videoConferenceLeft', (d) => d.roomName === room);
    await waitForEvent(host, 'readyToClose');
    const names = (await eventsOf(host)).map((e) => e.name);
    expect(names.indexOf('videoConferenceLeft')).toBeLessThan(names.indexOf('readyToClose'));
    await eventually(
      async () => ((await seenBy(bob, 'Alice')) === null ? true : undefined),
      'Alice gone for Bob',
      WAIT,
    );
    expect(server.rooms.participantCount).toBe(1);
  });

  it('a locked meeting asks the host page for the password; displayName and toggleVideo act like the page controls', async () => {
    const room = 'Embed.Amber-Kestrel-Locks';
    const bob = await plainMeeting(room, 'Bob');
    // Bob joined first, so he is the moderator: he locks the meeting (P4).
    await bob.evaluate(() =>
      (
        globalThis as unknown as { conclave: { conference: { setPassword(p: string): void } } }
      ).conclave.conference.setPassword('correct horse'),
    );
    await eventually(
      async () =>
        (await bob.evaluate(
          () =>
            (globalThis as unknown as { conclave: { conference: { room: { locked: boolean } } } }).conclave
              .conference.room.locked,
        ))
          ? true
          : undefined,
      'the meeting locked',
      WAIT,
    );
    const host = await hostPage(room, 'Alice');
    await waitForEvent(host, 'passwordRequired');
    expect((await eventsOf(host)).map((e) => e.name)).not.toContain('videoConferenceJoined');
    await command(host, 'password', 'correct horse');
    await waitForEvent(host, 'videoConferenceJoined', (d) => d.displayName === 'Alice');

    await command(host, 'displayName', 'Alice Liddell');
    await eventually(
      async () => ((await seenBy(bob, 'Alice Liddell')) ? true : undefined),
      'Bob sees the new name',
      WAIT,
    );
    // The camera started off (startWithVideoMuted); toggling turns it on for the others too.
    expect((await seenBy(bob, 'Alice Liddell'))?.videoMuted).toBe(true);
    await command(host, 'toggleVideo');
    await waitForEvent(host, 'videoMuteStatusChanged', (d) => d.muted === false);
    await eventually(
      async () => ((await seenBy(bob, 'Alice Liddell'))?.videoMuted === false ? true : undefined),
      'Bob sees the camera on',
      WAIT,
    );
    // Only moderators set the password: Alice is not one, and the page says so instead of trying.
    await command(host, 'password', 'another');
    await waitForEvent(host, 'errorOccurred', (d) => d.command === 'password' && d.name === 'not-allowed');
  });

  it('pinParticipant pins and unpins on the embedded page; every change of the pin, from the API, the page or a leave, is told to the host', async () => {
    const room = 'Embed.Violet-Pin-Holds';
    const host = await hostPage(room, 'Alice');
    await waitForEvent(host, 'videoConferenceJoined');
    const [bob, cyd] = [await plainMeeting(room, 'Bob'), await plainMeeting(room, 'Cyd')];
    const [bobId, cydId] = [await selfId(bob), await selfId(cyd)];
    for (const id of [bobId, cydId]) await waitForEvent(host, 'participantJoined', (d) => d.id === id);
    const frame = conclaveFrame(host);
    const pinnedInFrame = () => frame.evaluate(() => globalThis.conclave?.conference?.pinned);
    const staged = () =>
      frame.evaluate(() => {
        const stage = document.querySelector<HTMLElement>('[data-testid="speaker-stage"]');
        if (!stage || stage.hidden) return null;
        return stage.querySelector<HTMLElement>('[data-participant-id]')?.dataset.participantId ?? null;
      });
    /** The pin events the host heard so far. */
    const pins = async () =>
      (await eventsOf(host)).filter((e) => e.name === 'pinnedParticipantChanged').map((e) => e.data.id);
    const nextPin = (count: number) =>
      eventually(
        async () => {
          const all = await pins();
          return all.length > count ? all.slice(count) : undefined;
        },
        `pin event #${count + 1}`,
        WAIT,
      );
    expect(await pins()).toEqual([]);

    // From the host page: Bob takes the embedded page's stage, as a click on his pin would do.
    await command(host, 'pinParticipant', bobId);
    expect(await nextPin(0)).toEqual([bobId]);
    expect(await pinnedInFrame()).toBe(bobId);
    await eventually(async () => ((await staged()) === bobId ? true : undefined), 'Bob on the stage', WAIT);

    // From the embedded page's own control: the host hears of it too.
    const cydTile = frame.locator(`.tile[data-participant-id="${cydId}"]`);
    await cydTile.hover();
    await cydTile.getByTestId('tile-pin').click();
    expect(await nextPin(1)).toEqual([cydId]);
    await eventually(async () => ((await staged()) === cydId ? true : undefined), 'Cyd on the stage', WAIT);

    // Someone not in the meeting is refused by the meeting page, and the pin stays.
    await command(host, 'pinParticipant', 'NoSuchParticipant');
    await waitForEvent(host, 'errorOccurred', (d) => d.command === 'pinParticipant' && d.name === 'invalid');
    // An argument that is no participant id never leaves the host page.
    await command(host, 'pinParticipant', 42);
    await waitForEvent(
      host,
      'errorOccurred',
      (d) => d.name === 'invalid' && String(d.message).includes('"pinParticipant"'),
    );
    expect(await pinnedInFrame()).toBe(cydId);

    // No argument unpins (as in Jitsi); then a pin on Bob ends when Bob leaves.
    await command(host, 'pinParticipant');
    expect(await nextPin(2)).toEqual([null]);
    expect(await pinnedInFrame()).toBeNull();
    await command(host, 'pinParticipant', bobId);
    expect(await nextPin(3)).toEqual([bobId]);
    await bob.close();
    await waitForEvent(host, 'participantLeft', (d) => d.id === bobId);
    expect(await nextPin(4)).toEqual([null]);
    expect(await pins()).toEqual([bobId, cydId, null, bobId, null]);
  }, 180_000);
});
