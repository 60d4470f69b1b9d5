import { eventually } from '@conclave/testkit';
import { describe, expect, it } from 'vitest';
import {
  APP_KEY,
  audioFlows,
  expectLogsWithout,
  onSfu,
  recordingRig,
  recordingShown,
  startFromDialog,
  TEST_TIMEOUT,
  uploadedNotice,
  visible,
  WAIT,
} from './support/recordingMeeting.js';

/*
 * Recording to Dropbox through the real UI, in real Chromium against the real server (PRIVACY P8,
 * P12, P13): the moderator connects Dropbox with OAuth PKCE in a popup, the token goes only into
 * startRecording, and the upload arrives; a declined authorization is explained. Dropbox's
 * authorize page, token endpoint and upload API are stand-ins on 127.0.0.1, inside the tests'
 * loopback-only network namespace (e2e/support/recordingMeeting.ts). The operator's folder and
 * WebDAV: recording-ui.e2e.test.ts.
 */

const rig = recordingRig();

describe('recording to Dropbox in Chromium', () => {
  it(
    'Dropbox: PKCE in a popup (S256, online token), the token only in startRecording, upload arrives',
    async () => {
      const room = 'IndigoFoxesSketchSilentHills';
      const alice = await rig.openMeeting(room, 'Alice');
      const bob = await rig.openMeeting(room, 'Bob');
      await startFromDialog(alice, 'dropbox');
      expect(await alice.getByTestId('recording-start').textContent()).toBe('Connect Dropbox and record');
      const popupOpened = alice.waitForEvent('popup');
      await alice.getByTestId('recording-start').click();
      const popup = await popupOpened;
      popup.setDefaultTimeout(WAIT);
      await visible(popup.locator('#allow'));

      const q = rig.oauth.authorizeQueries.at(-1);
      expect(q?.get('client_id')).toBe(APP_KEY);
      expect(q?.get('response_type')).toBe('code');
      expect(q?.get('code_challenge_method')).toBe('S256');
      expect(q?.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(q?.get('token_access_type')).toBe('online');
      expect(q?.get('redirect_uri')).toBe(`${rig.server.url}/oauth/dropbox`);
      expect(q?.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      await visible(alice.getByTestId('recording-status'));

      await popup.locator('#allow').click();
      await recordingShown([alice, bob], true);
      expect(rig.oauth.issued).toBe(1);
      // The page checked the verifier against the challenge it sent (the stand-in refuses otherwise).
      expect(rig.oauth.tokenRequests.at(-1)?.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // The token is never stored by the page.
      const stored = await alice.evaluate(
        () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
      );
      expect(stored).not.toContain('SENTINEL');
      expect(await alice.evaluate(() => document.cookie)).toBe('');

      await onSfu([alice, bob]);
      await audioFlows(bob);
      await alice.getByTestId('recording-control').click();
      await recordingShown([alice, bob], false);
      await uploadedNotice([alice, bob]);
      expect(rig.dropbox.files.size).toBe(1);
      const [file] = [...rig.dropbox.files.values()];
      expect(file?.includes('manifest.json')).toBe(true);
      await rig.noJobsLeft();
    },
    TEST_TIMEOUT,
  );

  it(
    'Dropbox: a declined authorization is explained and nothing starts',
    async () => {
      const alice = await rig.openMeeting('OliveSwansDeclineEveryInvite', 'Alice');
      await startFromDialog(alice, 'dropbox');
      const popupOpened = alice.waitForEvent('popup');
      await alice.getByTestId('recording-start').click();
      const popup = await popupOpened;
      await popup.locator('#deny').click();
      await eventually(
        async () =>
          /not granted/.test((await alice.getByTestId('recording-error').textContent()) ?? '')
            ? true
            : undefined,
        'the declined message',
        WAIT,
      );
      expect(await alice.getByTestId('recording-indicator').isVisible()).toBe(false);
      expect(await alice.getByTestId('recording-start').isEnabled()).toBe(true);
    },
    TEST_TIMEOUT,
  );

  it('P8: only the configured Dropbox stand-in besides this server, and the CSP was never violated', async () => {
    // The CSP lets the page fetch the token endpoint's origin, and nothing else beyond its own.
    const csp = (await fetch(rig.server.url)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' http://127.0.0.1:${rig.oauth.port};`);
    const origins = new Set(rig.requestedUrls.map((u) => new URL(u).origin));
    origins.delete(new URL(rig.server.url).origin);
    // The popup's authorize page and the token exchange; nothing else left this origin.
    expect([...origins]).toEqual([`http://127.0.0.1:${rig.oauth.port}`]);
    expect(rig.pageProblems).toEqual([]);
  });

  it('P7: the server logs carry no token, password, code or destination', () => {
    expectLogsWithout(rig.server, [
      rig.accessToken,
      rig.davPassword,
      'SENTINEL',
      rig.davUrl,
      'rita',
      rig.localDir,
    ]);
  });
});
