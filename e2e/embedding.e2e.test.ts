import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import {
  type Browser,
  conclaveFrame,
  frameLoads,
  type HostSite,
  hostEvents,
  hostParticipantsInfo,
  launchChromium,
  openHostPage,
  type Page,
  startHostSite,
  waitForHostEvent,
} from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * Who may use the embedding API (docs/embedding.md, security model) in real Chromium: host pages
 * served by tiny HTTP servers on other loopback origins (127.0.0.1, other ports) load
 * /external_api.js from the Conclave server and put a meeting in an iframe. One host origin is
 * listed in web.frameAncestors, the other is not. What the commands and events do is
 * e2e/embedding-commands.e2e.test.ts. Every wait is for behaviour, never a fixed time.
 */

const WAIT = 60_000;
const TAG = 'conclave-embed/1';

let server: TestServer;
let browser: Browser;
let allowed: HostSite;
let other: HostSite;

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

/** A host page on `site` with a meeting of `room` in its iframe. */
async function hostPage(site: HostSite, room: string, displayName: string): Promise<Page> {
  const context = await browser.newContext();
  onTestFinished(() => context.close().catch(() => {}));
  context.setDefaultTimeout(WAIT);
  return openHostPage(await context.newPage(), site, { conclaveUrl: server.url, room, displayName });
}

describe('embedding API: who may embed and talk to a meeting', () => {
  it('a host origin not in web.frameAncestors cannot frame the meeting page (CSP frame-ancestors)', async () => {
    const room = 'Embed.Quiet-Lantern-Drifts';
    const host = await hostPage(other, room, 'Mallory');
    await eventually(
      async () => ((await frameLoads(host)) > 0 ? true : undefined),
      'the iframe to finish loading',
      WAIT,
    );
    // Chromium shows its error page instead of the meeting page: no script of ours ran in it.
    expect(conclaveFrame(host).url()).toMatch(/^chrome-error:/);
    expect(server.rooms.participantCount).toBe(0);
    expect((await hostEvents(host)).map((e) => e.name)).not.toContain('videoConferenceJoined');
  });

  it('the bridge ignores messages from other windows and origins, and the host API ignores forged events', async () => {
    const room = 'Embed.Silver-Otter-Waits';
    const host = await hostPage(allowed, room, 'Alice');
    await waitForHostEvent(host, 'videoConferenceJoined');
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
        // To the meeting page: a greeting, commands and a request, as a host page would send them.
        meeting.postMessage({ tag, kind: 'hello' }, '*');
        meeting.postMessage({ tag, kind: 'command', command: { name: 'toggleAudio', args: [] } }, '*');
        meeting.postMessage({ tag, kind: 'command', command: { name: 'pinParticipant', args: [null] } }, '*');
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
        window.parent.postMessage(
          { tag, kind: 'event', event: { name: 'pinnedParticipantChanged', data: { id: 'someone' } } },
          '*',
        );
      }, TAG);
    }
    // A request of the real host page, answered after the messages above were handled (both
    // windows handle posted messages in the order they were sent).
    const people = await hostParticipantsInfo(host);
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({ displayName: 'Alice', local: true, audioMuted: false });
    const names = (await hostEvents(host)).map((e) => e.name);
    expect(names).not.toContain('videoConferenceLeft');
    expect(names).not.toContain('pinnedParticipantChanged');
    expect(
      (await hostEvents(host)).filter((e) => e.name === 'audioMuteStatusChanged').map((e) => e.data),
    ).toEqual([{ muted: false }]);
    for (const intruder of intruders) {
      expect(await intruder.evaluate(() => (window as unknown as { replies: unknown[] }).replies)).toEqual(
        [],
      );
    }
    expect(server.rooms.participantCount).toBe(1);
  });
});
