import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '@conclave/testkit';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../packages/server/src/recording/compose.js';
import {
  audioFlows,
  expectLogsWithout,
  gone,
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
 * Recording through the real UI, in real Chromium against the real server (PRIVACY P12, P13): a
 * moderator records to the operator's folder and to a WebDAV server, every participant sees the
 * "Recording" badge and the notices, and the file arrives. Everything runs on 127.0.0.1 inside the
 * tests' loopback-only network namespace (e2e/support/recordingMeeting.ts). Dropbox, with OAuth
 * PKCE in a popup: recording-ui-dropbox.e2e.test.ts.
 */

const rig = recordingRig();

describe('recording controls in Chromium', () => {
  it(
    'P13: a moderator records to the local folder; everyone sees it start, run, stop and arrive',
    async () => {
      const room = 'AmberCranesRecordNightSongs';
      const alice = await rig.openMeeting(room, 'Alice');
      const bob = await rig.openMeeting(room, 'Bob');
      const cyd = await rig.openMeeting(room, 'Cyd');
      const all = [alice, bob, cyd];
      await onSfu(all);

      // Only moderators get the control; nobody sees a badge yet.
      await visible(alice.getByTestId('recording-control'));
      expect(await alice.getByTestId('recording-control').getAttribute('aria-label')).toBe('Record');
      for (const page of [bob, cyd])
        expect(await page.getByTestId('recording-control').isVisible()).toBe(false);
      await recordingShown(all, false);

      await startFromDialog(alice, 'local');
      // The dialog tells what happens to the file (P13) and offers what the server offers.
      const dialogText = (await alice.getByTestId('recording-dialog').textContent()) ?? '';
      expect(dialogText).toMatch(/deletes it at the latest 24 hours/);
      for (const kind of ['local', 'webdav', 'dropbox']) {
        await visible(alice.getByTestId(`recording-destination-${kind}`));
      }
      await alice.getByTestId('recording-start').click();
      await gone(alice.getByTestId('recording-dialog'));

      await recordingShown(all, true);
      for (const page of all) {
        await visible(page.locator('[data-testid="recording-notice"][data-recording="true"]'));
      }
      expect(
        await bob.locator('[data-testid="recording-notice"][data-recording="true"]').textContent(),
      ).toMatch(/^Alice started recording/);
      const control = alice.getByTestId('recording-control');
      expect(await control.getAttribute('aria-label')).toBe('Stop recording');
      expect(await control.getAttribute('aria-pressed')).toBe('true');

      await audioFlows(cyd);
      await control.click();
      await recordingShown(all, false);
      for (const page of all) {
        await visible(page.locator('[data-testid="recording-notice"][data-recording="false"]'));
      }
      await uploadedNotice(all);
      expect(await control.getAttribute('aria-label')).toBe('Record');

      // The archive arrived in the operator's folder, and nothing is left in the data directory.
      const files = readdirSync(rig.localDir);
      expect(files).toHaveLength(1);
      const archive = readFileSync(join(rig.localDir, files[0] ?? ''));
      expect(archive.length).toBeGreaterThan(10_000);
      expect(archive.includes('manifest.json')).toBe(true);
      // Recorded from each camera's highest simulcast layer, not its quarter-size one (1280×720
      // fake camera: layers of 180, 360 and 720 lines).
      const manifest = JSON.parse(
        execFileSync('tar', ['-xOf', join(rig.localDir, files[0] ?? ''), 'manifest.json'], {
          encoding: 'utf8',
        }),
      ) as Manifest;
      const videos = manifest.tracks.filter((t) => t.kind === 'video');
      if (process.env.E2E_TRACE)
        console.log(
          'recorded video sizes',
          videos.map((t) => `${t.width}x${t.height}`),
        );
      expect(videos).toHaveLength(3);
      for (const video of videos) expect(video.height).toBeGreaterThan(180);
      await rig.noJobsLeft();
    },
    TEST_TIMEOUT,
  );

  it(
    'WebDAV: URL, user name and app password from the dialog reach a WebDAV server that wants them',
    async () => {
      const room = 'CopperOwlsArchiveRiverTales';
      // A laptop screen: the whole dialog fits without scrolling, and the example address wraps inside it.
      const alice = await rig.openMeeting(room, 'Alice', { width: 1280, height: 800 });
      const bob = await rig.openMeeting(room, 'Bob');
      await startFromDialog(alice, 'webdav');
      await visible(alice.getByTestId('recording-webdav-fields'));
      const fit = await alice.getByTestId('recording-dialog').evaluate((dialog) => {
        const box = dialog.getBoundingClientRect();
        const example = dialog.querySelector<HTMLElement>('[data-testid="recording-webdav-example"]');
        const exampleBox = example?.getBoundingClientRect();
        return {
          scrollHeight: dialog.scrollHeight,
          clientHeight: dialog.clientHeight,
          example: example?.textContent ?? '',
          exampleOverflows: example ? example.scrollWidth > example.clientWidth : true,
          exampleInside: exampleBox ? exampleBox.left >= box.left && exampleBox.right <= box.right : false,
        };
      });
      expect(fit.example).toMatch(/^https:\/\/cloud\.example\.org\//);
      expect(fit.scrollHeight).toBeLessThanOrEqual(fit.clientHeight);
      expect(fit.exampleOverflows).toBe(false);
      expect(fit.exampleInside).toBe(true);
      // A URL with credentials in it is refused before anything is sent.
      await alice.getByTestId('recording-webdav-url').fill(`http://rita:x@127.0.0.1:1/`);
      await alice.getByTestId('recording-start').click();
      await eventually(
        async () =>
          /own fields/.test((await alice.getByTestId('recording-error').textContent()) ?? '')
            ? true
            : undefined,
        'the URL check',
        WAIT,
      );
      await alice.getByTestId('recording-webdav-url').fill(rig.davUrl);
      await alice.getByTestId('recording-webdav-user').fill('rita');
      await alice.getByTestId('recording-webdav-password').fill(rig.davPassword);
      await alice.getByTestId('recording-start').click();
      // Two people recorded: the meeting moves to the SFU, where the recorder listens.
      await recordingShown([alice, bob], true);
      await onSfu([alice, bob]);
      await audioFlows(bob);
      await alice.getByTestId('recording-control').click();
      await recordingShown([alice, bob], false);
      await uploadedNotice([alice, bob]);

      // The archive is on the WebDAV server, under the name the server gave it.
      const arrived = await rig.davFile();
      expect(arrived.name).toMatch(/^conclave-.+\.tar$/);
      expect(arrived.content.includes('manifest.json')).toBe(true);
      await rig.noJobsLeft();
    },
    TEST_TIMEOUT,
  );

  it('P8: nothing besides this server, and the CSP was never violated', async () => {
    const origins = new Set(rig.requestedUrls.map((u) => new URL(u).origin));
    origins.delete(new URL(rig.server.url).origin);
    expect([...origins]).toEqual([]);
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
