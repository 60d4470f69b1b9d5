import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import { type Browser, type Frame, launchChromium, type Page } from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * The embedding API (docs/embedding.md) in real Chromium: host pages served by tiny HTTP servers
 * on other loopback origins (127.0.0.1, other ports) load /external_api.js from the Conclave
 * server and put a meeting in an iframe. One host origin is listed in web.frameAncestors, the
 * other is not. Every wait is for behaviour (an event, a state), never a fixed time.
 */

const WAIT = 60_000;
const TAG = 'conclave-embed/1';
const EVENTS = [
  'videoConferenceJoined',
  'videoConferenceLeft',
  'participantJoined',
  'participantLeft',
  'audioMuteStatusChanged',
  'videoMuteStatusChanged',
  'screenSharingStatusChanged',
  'raiseHandUpdated',
  'dominantSpeakerChanged',
  'incomingMessage',
  'passwordRequired',
  'readyToClose',
  'errorOccurred',
];

let server: TestServer;
let browser: Browser;
let allowed: HostSite;
let other: HostSite;

interface HostSite {
  origin: string;
  close(): Promise<void>;
}

/** A host site: `/` loads the Conclave server's external_api.js; `/blank` is an empty page. */
async function startHostSite(conclaveOrigin: () => string): Promise<HostSite> {
  const http: Server = createServer((req, res) => {
    const body =
      req.url === '/'
        ? `<!doctype html><title>Host</title><div id="meet"></div><script src="${conclaveOrigin()}/external_api.js"></script>`
        : '<!doctype html><title>Blank</title>';
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(body);
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
  allowed = await startHostSite(() => server.url);
  other = await startHostSite(() => server.url);
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
  await other?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  onTestFinished(() => context.close().catch(() => {}));
  context.setDefaultTimeout(WAIT);
  return context.newPage();
}

/** A host page on `site` with a meeting of `room` in its iframe; every API event is recorded. */
async function hostPage(site: HostSite, room: string, displayName: string): Promise<Page> {
  const page = await newPage();
  await page.goto(`${site.origin}/`);
  await page.evaluate(
    ({ domain, room, displayName, events }) => {
      const w = window as unknown as Record<string, unknown>;
      const recorded: { name: string; data: unknown }[] = [];
      w.events = recorded;
      w.frameLoads = 0;
      const Api = w.ConclaveExternalAPI as new (
        domain: string,
        options: object,
      ) => { addListener(name: string, fn: (data: unknown) => void): void; getIFrame(): HTMLIFrameElement };
      const api = new Api(domain, {
        roomName: room,
        parentNode: document.getElementById('meet'),
        width: 640,
        height: 400,
        userInfo: { displayName },
        // Cameras off: this is about the API, and encoding video would only load the machine.
        configOverwrite: { startWithVideoMuted: true },
      });
      w.api = api;
      api.getIFrame().addEventListener('load', () => {
        w.frameLoads = (w.frameLoads as number) + 1;
      });
      for (const name of events) api.addListener(name, (data) => recorded.push({ name, data }));
    },
    // No scheme: the API picks http because the host is loopback.
    { domain: new URL(server.url).host, room, displayName, events: EVENTS },
  );
  return page;
}

type Recorded = { name: string; data: Record<string, unknown> };
const eventsOf = (page: Page): Promise<Recorded[]> =>
  page.evaluate(() => (window as unknown as { events: Recorded[] }).events);

/** The first recorded event named `name` whose data satisfies `match`. */
async function waitForEvent(
  page: Page,
  name: string,
  match: (data: Record<string, unknown>) => boolean = () => true,
): Promise<Record<string, unknown>> {
  return eventually(
    async () => (await eventsOf(page)).find((e) => e.name === name && match(e.data))?.data,
    `the host page's ${name} event`,
    WAIT,
  );
}

const command = (page: Page, name: string, ...args: unknown[]) =>
  page.evaluate(
    ({ name, args }) =>
      (window as unknown as { api: { executeCommand(n: string, ...a: unknown[]): void } }).api.executeCommand(
        name,
        ...args,
      ),
    { name, args },
  );

type Info = { participantId: string; displayName?: string; audioMuted: boolean; local: boolean };
const participantsInfo = (page: Page): Promise<Info[]> =>
  page.evaluate(() =>
    (window as unknown as { api: { getParticipantsInfo(): Promise<Info[]> } }).api.getParticipantsInfo(),
  );

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

function conclaveFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f !== page.mainFrame() && f.name().startsWith('conclaveFrame'));
  if (!frame) throw new Error('no Conclave iframe');
  return frame;
}

describe('embedding API', () => {
  it('a host page on an allowed origin joins, hears the meeting, and drives it through executeCommand', async () => {
    const room = 'Embed.Copper-Heron-Sails';
    const host = await hostPage(allowed, room, 'Alice');
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

  it('a host origin not in web.frameAncestors cannot frame the meeting page (CSP frame-ancestors)', async () => {
    const room = 'Embed.Quiet-Lantern-Drifts';
    const host = await hostPage(other, room, 'Mallory');
    await eventually(
      async () =>
        (await host.evaluate(() => (window as unknown as { frameLoads: number }).frameLoads)) > 0
          ? true
          : undefined,
      'the iframe to finish loading',
      WAIT,
    );
    // Chromium shows its error page instead of the meeting page: no script of ours ran in it.
    expect(conclaveFrame(host).url()).toMatch(/^chrome-error:/);
    expect(server.rooms.participantCount).toBe(0);
    expect((await eventsOf(host)).map((e) => e.name)).not.toContain('videoConferenceJoined');
  });

  it('the bridge ignores messages from other windows and origins, and the host API ignores forged events', async () => {
    const room = 'Embed.Silver-Otter-Waits';
    const host = await hostPage(allowed, room, 'Alice');
    await waitForEvent(host, 'videoConferenceJoined');
    // Two more frames in the host page: one from an origin the server does not list, one from the
    // host's own (listed) origin that is not the meeting frame's parent.
    await host.evaluate(
      async ({ others }) => {
        await Promise.all(
          others.map(
            (src) =>
              new Promise((resolve) => {
                const f = document.createElement('iframe');
                f.src = src;
                f.addEventListener('load', resolve);
                document.body.append(f);
              }),
          ),
        );
      },
      { others: [`${other.origin}/blank`, `${allowed.origin}/blank`] },
    );
    const intruders = host.frames().filter((f) => f.url().endsWith('/blank'));
    expect(intruders).toHaveLength(2);
    for (const intruder of intruders) {
      await intruder.evaluate((tag) => {
        const meeting = window.parent.frames[0];
        if (!meeting) throw new Error('no meeting frame');
        const w = window as unknown as { replies: unknown[] };
        w.replies = [];
        window.addEventListener('message', (e) => w.replies.push(e.data));
        // To the meeting page: a greeting, a command and a request, as a host page would send them.
        meeting.postMessage({ tag, kind: 'hello' }, '*');
        meeting.postMessage({ tag, kind: 'command', command: { name: 'toggleAudio', args: [] } }, '*');
        meeting.postMessage({ tag, kind: 'command', command: { name: 'hangup', args: [] } }, '*');
        meeting.postMessage({ tag, kind: 'request', id: 99, name: 'getParticipantsInfo' }, '*');
        // To the host page: events as the meeting page would send them.
        window.parent.postMessage(
          { tag, kind: 'event', event: { name: 'videoConferenceLeft', data: { roomName: 'x' } } },
          '*',
        );
        window.parent.postMessage(
          { tag, kind: 'event', event: { name: 'audioMuteStatusChanged', data: { muted: true } } },
          '*',
        );
      }, TAG);
    }
    // A request of the real host page, answered after the messages above were handled (both
    // windows handle posted messages in the order they were sent).
    const people = await participantsInfo(host);
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({ displayName: 'Alice', local: true, audioMuted: false });
    const names = (await eventsOf(host)).map((e) => e.name);
    expect(names).not.toContain('videoConferenceLeft');
    expect(
      (await eventsOf(host)).filter((e) => e.name === 'audioMuteStatusChanged').map((e) => e.data),
    ).toEqual([{ muted: false }]);
    for (const intruder of intruders) {
      expect(await intruder.evaluate(() => (window as unknown as { replies: unknown[] }).replies)).toEqual(
        [],
      );
    }
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
    const host = await hostPage(allowed, room, 'Alice');
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
});
