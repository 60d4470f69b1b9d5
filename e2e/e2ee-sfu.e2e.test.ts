import { eventually } from '@conclave/testkit';
import type { Page } from '@conclave/testkit/browser';
import { checkFrames, sframeKey } from '@conclave/testkit/e2ee';
import { describe, expect, it } from 'vitest';
import {
  decodes,
  e2eeOn,
  e2eeRig,
  inbound,
  keepsDecoding,
  selfId,
  setKeyInDialog,
  waitForBadge,
  waitForIndicator,
} from './support/e2eeMeeting.js';

/*
 * End-to-end encryption in real Chromium (issue 4, PRIVACY P11), inside the tests' loopback-only
 * network namespace: through the SFU.
 * - Three pages, two with the same key decode each other, the third (another key) decodes nothing
 *   and shows "cannot decrypt". A tap in the media engine checks that the VP8 and Opus payloads the
 *   SFU forwards are SFrame ciphertext under the participants' keys, with the control that the same
 *   check fails on the same participant's media once its E2EE is off.
 * - A shared screen is encrypted like the camera.
 * - Every signalling frame the server received, captured by a WebSocket proxy in front of it,
 *   contains neither a passphrase nor any key derived from one.
 * Keys in P2P, key changes and browsers that cannot encrypt: e2ee.e2e.test.ts.
 */

const rig = e2eeRig();

/** An init script: the page's meeting opens its camera but no microphone. */
function withoutMicrophone(): void {
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints) => original({ ...constraints, audio: false });
}

/** Until the meeting runs through the SFU (as `page` shows it) and every page encrypts. */
async function encryptingThroughSfu(page: Page, pages: Page[]): Promise<void> {
  await eventually(
    async () =>
      (await page.getByTestId('meeting-mode').getAttribute('data-mode')) === 'sfu' ? true : undefined,
    'the SFU mode',
    60_000,
  );
  for (const p of pages) await eventually(async () => ((await e2eeOn(p)) ? true : undefined), 'E2EE on');
}

describe('end-to-end encryption through the SFU in Chromium', () => {
  it('SFU: two pages with the same key decode each other; a page with another key decodes nothing and shows "cannot decrypt"; the SFU forwards ciphertext', {
    timeout: 400_000,
  }, async () => {
    const room = 'NineCalmHeronsKeepTheirCounsel';
    const joinedFrom = Date.now();
    const a = await rig.openMeeting(room, 'A', 'secret phrase');
    const b = await rig.openMeeting(room, 'B', 'secret phrase');
    const c = await rig.openMeeting(room, 'C', 'other phrase');
    const [idA, idB, idC] = [await selfId(a), await selfId(b), await selfId(c)];
    await rig.remember(a, 'secret phrase');
    await rig.remember(b, 'secret phrase');
    await rig.remember(c, 'other phrase');
    await encryptingThroughSfu(a, [a, b, c]);
    const encryptedFrom = Date.now() + 1000;

    await decodes(a, idB, 'A decodes B');
    await decodes(b, idA, 'B decodes A');
    // By now C has received A's and B's media for a while, and decoded none of it.
    const atC = await inbound(c);
    expect(atC[idA]?.packets ?? 0).toBeGreaterThan(0);
    expect(atC[idB]?.packets ?? 0).toBeGreaterThan(0);
    expect(atC[idA]?.video ?? 0).toBe(0);
    expect(atC[idB]?.video ?? 0).toBe(0);
    // No frame reaches C's audio decoder either: all it plays is concealment of silence.
    expect(atC[idA]?.audioEnergy ?? 0).toBeLessThan(1e-6);
    expect(atC[idB]?.audioEnergy ?? 0).toBeLessThan(1e-6);
    await waitForIndicator(c, idA, 'cannot-decrypt');
    await waitForIndicator(c, idB, 'cannot-decrypt');
    await waitForIndicator(a, idC, 'cannot-decrypt');
    await waitForIndicator(b, idC, 'cannot-decrypt');
    await waitForIndicator(a, idB, 'encrypted');
    await waitForIndicator(b, idA, 'encrypted');
    await waitForBadge(c, 'partial');
    await waitForBadge(a, 'partial');
    await expect(
      c.locator(`[data-testid="remote-tile"][data-participant-id="${idA}"] [data-testid="e2ee-blocked"]`),
    ).toBeVisibleSoon();
    // The people panel carries the same marks.
    await eventually(
      async () =>
        (await c
          .locator(
            `[data-testid="participant-item"][data-participant-id="${idB}"] [data-testid="e2ee-indicator"]`,
          )
          .getAttribute('data-state')) === 'cannot-decrypt'
          ? true
          : undefined,
      'the people panel to say cannot decrypt',
    );
    const cStill = await inbound(c);
    expect(cStill[idA]?.video ?? 0).toBe(0);
    expect(cStill[idB]?.video ?? 0).toBe(0);

    // At the SFU: every forwarded VP8 and Opus frame of A, B and C is SFrame under the sender's
    // KID and opens with the key of the sender's passphrase (and not with the other passphrase).
    const meetingId = await a.evaluate(() => conferenceOf().meetingId);
    const senders = [
      { page: a, id: idA, passphrase: 'secret phrase', wrong: 'other phrase' },
      { page: b, id: idB, passphrase: 'secret phrase', wrong: 'other phrase' },
      { page: c, id: idC, passphrase: 'other phrase', wrong: 'secret phrase' },
    ];
    for (const s of senders) {
      const kid = BigInt(await s.page.evaluate(() => conferenceOf().self.e2eeIndex)) << 4n;
      const right = await sframeKey(s.passphrase, meetingId, kid);
      const wrong = await sframeKey(s.wrong, meetingId, kid);
      await rig.forwarded.forwardedSince(s.id, encryptedFrom);
      const { video, audio } = await rig.forwarded.check(s.id, encryptedFrom, kid, right, wrong);
      expect(video.checked, `video frames of ${s.id} at the SFU`).toBeGreaterThanOrEqual(20);
      expect(audio.checked, `audio frames of ${s.id} at the SFU`).toBeGreaterThanOrEqual(20);
      expect(video.encrypted).toBe(video.checked);
      expect(audio.encrypted).toBe(audio.checked);
      expect(video.openWithWrongKey + audio.openWithWrongKey).toBe(0);
      // The clear VP8 header still marks key frames for the SFU: the start code is readable. Over
      // the whole meeting: a sender's key frames come when a subscriber opens, a layer switches or
      // a receiver asks, which may all be before `encryptedFrom`.
      const { video: all } = await rig.forwarded.check(s.id, joinedFrom, kid, right, wrong);
      expect(all.keyFramesWithStartCode, `encrypted key frames of ${s.id}`).toBeGreaterThan(0);
    }

    // Control: C turns E2EE off; the same check on C's media now fails for every frame.
    await setKeyInDialog(c, null);
    const clearFrom = Date.now() + 1500;
    await waitForIndicator(a, idC, 'unencrypted');
    await new Promise((r) => setTimeout(r, 4000));
    const kidC = BigInt(await c.evaluate(() => conferenceOf().self.e2eeIndex)) << 4n;
    const keyC = await sframeKey('other phrase', meetingId, kidC);
    await rig.forwarded.forwardedSince(idC, clearFrom, 10);
    const { video: clearVideo, audio: clearAudio } = await rig.forwarded.check(
      idC,
      clearFrom,
      kidC,
      keyC,
      keyC,
    );
    expect(clearVideo.checked).toBeGreaterThanOrEqual(10);
    expect(clearAudio.checked).toBeGreaterThanOrEqual(10);
    expect(clearVideo.encrypted).toBe(0);
    expect(clearAudio.encrypted).toBe(0);
    // A and B still decode each other.
    await keepsDecoding(a, idB);
    await keepsDecoding(b, idA);

    // C leaves: A and B go back to P2P and keep decrypting each other across the switch.
    await c.close();
    for (const [page, other] of [
      [a, idB],
      [b, idA],
    ] as const) {
      await eventually(
        async () =>
          (await page.getByTestId('meeting-mode').getAttribute('data-mode')) === 'p2p' ? true : undefined,
        'back to P2P',
        60_000,
      );
      await keepsDecoding(page, other);
      await waitForIndicator(page, other, 'encrypted');
    }
    for (const page of [a, b]) await page.close();
  });

  // Without a microphone the presenter's client holds the screen's audio sender with Web Audio
  // silence instead of a muted clone of the microphone (StandIns): the audio must go all the same.
  it.each([
    { presenter: 'with a microphone', room: 'SealedSlidesTravelFar', init: undefined },
    { presenter: 'without a microphone', room: 'SealedSlidesSpeakQuietly', init: withoutMicrophone },
  ])(
    'P11: SFU: a shared screen (and its audio) is encrypted like the camera: the pages with the key decode it, the SFU forwards only ciphertext of it (presenter $presenter)',
    {
      timeout: 300_000,
    },
    async ({ room, init }) => {
      const a = await rig.openMeeting(room, 'A', 'screen phrase', init);
      const b = await rig.openMeeting(room, 'B', 'screen phrase');
      const c = await rig.openMeeting(room, 'C', 'screen phrase');
      const [idA] = [await selfId(a), await selfId(b), await selfId(c)];
      for (const page of [a, b, c]) await rig.remember(page, 'screen phrase');
      await encryptingThroughSfu(a, [a, b, c]);
      await a.evaluate(() => conferenceOf().startScreenShare());
      const sharedFrom = Date.now() + 1000;
      // B and C decode A's screen (it decrypts with the passphrase's key): frames at its size.
      for (const page of [b, c])
        await eventually(
          () =>
            page.evaluate(async () => {
              const conference = conferenceOf();
              const screen = conference.remoteTracks.find(
                (t) => t.source === 'screen' && t.track.kind === 'video',
              );
              let decoded = 0;
              let width = 0;
              (await conference.getStats())?.forEach((s: Record<string, unknown>) => {
                if (s.type === 'inbound-rtp' && s.trackIdentifier === screen?.track.id) {
                  decoded = Number(s.framesDecoded ?? 0);
                  width = Number(s.frameWidth ?? 0);
                }
              });
              return decoded > 10 && width === 1280 ? true : undefined;
            }),
          'the encrypted screen decoded',
          90_000,
        );
      // At the SFU, every frame of A's screen is SFrame under A's KID and opens with A's key.
      await new Promise((r) => setTimeout(r, 2000));
      const meetingId = await a.evaluate(() => conferenceOf().meetingId);
      const kid = BigInt(await a.evaluate(() => conferenceOf().self.e2eeIndex)) << 4n;
      const right = await sframeKey('screen phrase', meetingId, kid);
      const wrong = await sframeKey('secret phrase', meetingId, kid);
      // Its audio goes too (through the sender SfuSession set up before the first offer, whose
      // transform Chromium applies), as ciphertext only, and B decrypts and plays it (below).
      for (const [kind, least] of [
        ['video', 10],
        ['audio', 50],
      ] as const) {
        const frames = await checkFrames(
          rig.forwarded.framesOf(idA, kind, sharedFrom, 'screen'),
          kind,
          kid,
          right,
          wrong,
        );
        expect(frames.checked, `screen ${kind} frames at the SFU`).toBeGreaterThanOrEqual(least);
        expect(frames.encrypted).toBe(frames.checked);
        expect(frames.openWithWrongKey).toBe(0);
      }
      await eventually(
        () =>
          b.evaluate(async (presenterId) => {
            const conference = conferenceOf();
            const ids = new Set(
              conference.remoteTracks
                .filter(
                  (t) => t.participantId === presenterId && t.source === 'screen' && t.track.kind === 'audio',
                )
                .map((t) => t.track.id),
            );
            let energy = 0;
            (await conference.getStats())?.forEach((s: Record<string, unknown>) => {
              if (s.type === 'inbound-rtp' && ids.has(String(s.trackIdentifier)))
                energy += Number(s.totalAudioEnergy ?? 0);
            });
            return energy > 0 ? true : undefined;
          }, idA),
        "B: the screen's audio decrypted and playing",
        30_000,
      );
      for (const page of [a, b, c]) await page.close();
    },
  );

  it('the server received neither a passphrase nor any derived key in any signalling frame', async () => {
    // The first test turns E2EE on for three pages and off for one: at least four announcements.
    await rig.expectNoKeyMaterial(4);
  });
});
