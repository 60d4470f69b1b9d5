import { eventually, startTestServer, type TestServer } from '@conclave/testkit';
import {
  type Browser,
  chromiumMeetings,
  decodes,
  e2eeState,
  keepsDecoding,
  launchChromium,
  type MeetingBrowser,
  type MeetingPage,
  openMeeting,
  type Page,
  received,
  selfId,
} from '@conclave/testkit/browser';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';

/*
 * Device choice in real Chromium with three fake cameras, microphones and speakers
 * (`device-count=3`): the pre-join picker, and a mid-call switch that must replace what
 * is sent without a new negotiation, keep E2EE, and carry over to the SFU path opened later.
 */

let server: TestServer;
let browser: Browser;
let meetings: MeetingBrowser;

beforeAll(async () => {
  server = await startTestServer({ p2p: { backToP2PDelay: 1 } }, { ui: 'built' });
  // The last occurrence of a switch wins: this one asks the fake capture for three cameras.
  browser = await launchChromium({ extraArgs: ['--use-fake-device-for-media-stream=device-count=3'] });
  meetings = chromiumMeetings(browser);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Chromium's second fake camera delivers Y16 (a depth camera's format): it shows in a <video> but
 * the WebRTC encoder takes no frame of it (measured: framesEncoded stops after replaceTrack, also
 * with plain RTCPeerConnections and no Conclave code). The third (MJPEG) is a camera like any other.
 */
const OTHER_CAMERA = 'fake_device_2';

/** Counts offers and answers applied on every RTCPeerConnection of the page. */
const COUNT_NEGOTIATIONS = `
  globalThis.negotiations = 0;
  for (const name of ['setLocalDescription', 'setRemoteDescription']) {
    const original = RTCPeerConnection.prototype[name];
    RTCPeerConnection.prototype[name] = function (...args) {
      globalThis.negotiations += 1;
      return original.apply(this, args);
    };
  }
`;

/** Counts the WebSockets the page opens. */
const COUNT_SOCKETS = `
  globalThis.sockets = 0;
  globalThis.WebSocket = class extends WebSocket {
    constructor(...args) {
      super(...args);
      globalThis.sockets += 1;
    }
  };
`;

function playwright(page: MeetingPage): Page {
  if (!page.playwright) throw new Error('a Chromium page was expected');
  return page.playwright;
}

/** The local tracks the conference holds and the track each kind's RTP sender is fed from. */
function sending(page: MeetingPage) {
  return page.evaluate(async () => {
    const c = globalThis.conclave?.conference;
    if (!c) throw new Error('not in a meeting');
    const local = Object.fromEntries(
      c.localTracks.map((t) => [t.kind, { id: t.id, device: t.getSettings().deviceId ?? '' }]),
    );
    const sources: Record<string, string> = {};
    const ssrcs: Record<string, number[]> = {};
    (await c.getStats())?.forEach((s: Record<string, unknown>) => {
      if (s.type === 'media-source') sources[String(s.kind)] = String(s.trackIdentifier);
      if (s.type === 'outbound-rtp') {
        const kind = String(s.kind);
        ssrcs[kind] = [...(ssrcs[kind] ?? []), Number(s.ssrc)].sort();
      }
    });
    return {
      local,
      sources,
      ssrcs,
      negotiations: (globalThis as { negotiations?: number }).negotiations ?? 0,
    };
  });
}

async function options(page: Page, testid: string): Promise<{ value: string; label: string }[]> {
  return page
    .getByTestId(testid)
    .locator('option')
    .evaluateAll((list) =>
      list.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.textContent ?? '' })),
    );
}

describe('choosing camera, microphone and speaker in Chromium', () => {
  it('the pre-join screen lists every device, shows the microphone level, and joins with the camera chosen there: its very track, on the connection it opened', async () => {
    const page = await meetings.newPage();
    onTestFinished(() => page.close());
    const pw = playwright(page);
    await pw.addInitScript(COUNT_SOCKETS);
    await page.goto(`${server.url}/SilverKitesCrossTheBay#name=Alice`);
    await pw.getByTestId('prejoin-device-choice').locator('summary').click();

    const cameras = await eventually(async () => {
      const list = await options(pw, 'prejoin-devices-camera');
      return list.length === 3 ? list : undefined;
    }, 'three cameras listed');
    expect(cameras.map((c) => c.label)).toEqual(['fake_device_0', 'fake_device_1', OTHER_CAMERA]);
    expect((await options(pw, 'prejoin-devices-microphone')).length).toBeGreaterThanOrEqual(2);
    expect((await options(pw, 'prejoin-devices-speaker')).length).toBeGreaterThanOrEqual(2);
    // The fake microphone beeps: the meter moves.
    await eventually(
      async () =>
        Number(await pw.getByTestId('prejoin-devices-mic-level').getAttribute('aria-valuenow')) > 0
          ? true
          : undefined,
      'the microphone level to move',
    );

    const chosen = cameras.find((c) => c.label === OTHER_CAMERA)?.value ?? '';
    const [first] = await pw.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="prejoin-preview"]');
      return (
        (video?.srcObject as MediaStream | null)?.getVideoTracks().map((t) => t.getSettings().deviceId) ?? []
      );
    });
    expect(first).toBe(cameras[0]?.value);
    await pw.getByTestId('prejoin-devices-camera').selectOption(chosen);
    await eventually(
      () =>
        pw.evaluate((id) => {
          const video = document.querySelector<HTMLVideoElement>('[data-testid="prejoin-preview"]');
          const track = (video?.srcObject as MediaStream | null)?.getVideoTracks()[0];
          return track?.getSettings().deviceId === id && track.readyState === 'live' ? true : undefined;
        }, chosen),
      'the preview to show the chosen camera',
    );

    const previewTrack = await pw.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="prejoin-preview"]');
      return (video?.srcObject as MediaStream | null)?.getVideoTracks()[0]?.id;
    });
    const sockets = () => pw.evaluate(() => (globalThis as { sockets?: number }).sockets);
    expect(await sockets()).toBe(1);

    await pw.getByTestId('prejoin-join').click();
    await eventually(
      async () =>
        (await page.evaluate(() => globalThis.conclave?.conference !== undefined)) ? true : undefined,
      'joined',
    );
    const sent = await sending(page);
    expect(sent.local.video?.device).toBe(chosen);
    // The meeting sends the preview's track (no second camera start on Join) and joins on the
    // signalling connection the pre-join screen opened (no socket set-up after the click).
    expect(sent.local.video?.id).toBe(previewTrack);
    expect(await sockets()).toBe(1);
  });

  it('mid-call under E2EE: another camera and microphone go out without renegotiating, stay encrypted, and are what the SFU path sends later; the speaker choice reaches every remote audio', {
    timeout: 240_000,
  }, async () => {
    const room = 'AmberLanternsDriftUpriver';
    const passphrase = 'devices stay private';
    const join = (name: string, init?: string) =>
      openMeeting(meetings, {
        url: server.url,
        room,
        name,
        passphrase,
        ...(init ? { init } : {}),
        closeWith: (close) => onTestFinished(close),
      });
    const alice = await join('Alice', COUNT_NEGOTIATIONS);
    const bob = await join('Bob');
    const [idA, idB] = [await selfId(alice), await selfId(bob)];
    await decodes(bob, idA, 'Bob decodes Alice');
    await decodes(alice, idB, 'Alice decodes Bob');
    expect((await e2eeState(bob)).decrypt[idA]).toBe('ok');

    const before = await sending(alice);
    expect(before.sources.video).toBe(before.local.video?.id);
    await alice.evaluate(() => {
      (globalThis as { old?: MediaStreamTrack[] }).old = [
        ...(globalThis.conclave?.conference.localTracks ?? []),
      ];
    });
    const pw = playwright(alice);
    await pw.getByTestId('device-settings').click();
    const cameras = await eventually(async () => {
      const list = await options(pw, 'meeting-devices-camera');
      return list.length === 3 ? list : undefined;
    }, 'three cameras in the dialog');
    expect(cameras.find((c) => c.value === before.local.video?.device)?.label).toBe('fake_device_0');
    const otherCamera = cameras.find((c) => c.label === OTHER_CAMERA)?.value ?? '';
    const microphones = await options(pw, 'meeting-devices-microphone');
    const otherMic = microphones.find((m) => m.value !== before.local.audio?.device)?.value ?? '';
    await pw.getByTestId('meeting-devices-camera').selectOption(otherCamera);
    await pw.getByTestId('meeting-devices-microphone').selectOption(otherMic);

    const after = await eventually(async () => {
      const s = await sending(alice);
      return s.local.video?.device === otherCamera &&
        s.local.audio?.device === otherMic &&
        s.sources.video === s.local.video.id &&
        s.sources.audio === s.local.audio.id
        ? s
        : undefined;
    }, "Alice's senders to carry the new camera and microphone");
    // Same RTP streams, no offer or answer: the switch was a track replacement, not a negotiation.
    expect(after.ssrcs).toEqual(before.ssrcs);
    expect(after.negotiations).toBe(before.negotiations);
    // The old devices are released (the camera light goes off).
    expect(
      await alice.evaluate(() =>
        ((globalThis as { old?: MediaStreamTrack[] }).old ?? []).map((t) => t.readyState),
      ),
    ).toEqual(['ended', 'ended']);
    // Bob still decrypts and decodes Alice, and hears the new microphone.
    const heard = (await received(bob))[idA]?.audioEnergy ?? 0;
    await keepsDecoding(bob, idA, 'Bob decodes Alice after the switch');
    await eventually(
      async () => (((await received(bob))[idA]?.audioEnergy ?? 0) > heard ? true : undefined),
      "Bob to hear Alice's new microphone",
    );
    expect((await e2eeState(bob)).decrypt[idA]).toBe('ok');

    // A speaker chosen now plays every remote audio, also of someone who joins later.
    const speakers = await options(pw, 'meeting-devices-speaker');
    const speaker = speakers.find((s) => s.value !== 'default')?.value ?? '';
    await pw.getByTestId('meeting-devices-speaker').selectOption(speaker);
    await pw.keyboard.press('Escape');
    const sinks = () =>
      pw.evaluate(() =>
        [...document.querySelectorAll<HTMLAudioElement>('[data-testid="remote-audio"]')].map((a) => a.sinkId),
      );
    await eventually(async () => {
      const all = await sinks();
      return all.length === 1 && all.every((s) => s === speaker) ? true : undefined;
    }, "Bob's audio on the chosen speaker");

    // A third participant moves the call to the SFU: its new path sends the chosen devices.
    const carol = await join('Carol');
    const idC = await selfId(carol);
    await eventually(
      async () =>
        (await alice.evaluate(() => globalThis.conclave?.conference?.mediaMode)) === 'sfu' ? true : undefined,
      'the call to move to the SFU',
    );
    await decodes(carol, idA, 'Carol decodes Alice through the SFU');
    expect((await e2eeState(carol)).decrypt[idA]).toBe('ok');
    const onSfu = await sending(alice);
    expect(onSfu.sources.video).toBe(after.local.video?.id);
    expect(onSfu.sources.audio).toBe(after.local.audio?.id);
    await eventually(async () => {
      const all = await sinks();
      return all.length === 2 && all.every((s) => s === speaker) ? true : undefined;
    }, "Bob's and Carol's audio on the chosen speaker");
    await decodes(alice, idC, 'Alice decodes Carol');
    // The choices stay in the page's memory: nothing about the devices is kept on the computer.
    expect(
      await pw.evaluate(async () => ({
        local: localStorage.length,
        session: sessionStorage.length,
        cookies: document.cookie,
        databases: (await indexedDB.databases()).length,
      })),
    ).toEqual({ local: 0, session: 0, cookies: '', databases: 0 });
  });
});
