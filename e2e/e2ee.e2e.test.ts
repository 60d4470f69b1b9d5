import { eventually } from '@conclave/testkit';
import { describe, expect, it } from 'vitest';
import {
  decodes,
  e2eeOn,
  e2eeRig,
  keepsDecoding,
  selfId,
  setKeyInDialog,
  waitForBadge,
  waitForIndicator,
  withoutEncodedTransforms,
} from './support/e2eeMeeting.js';

/*
 * End-to-end encryption in real Chromium (issue 4, PRIVACY P11), inside the tests' loopback-only
 * network namespace: the keys.
 * - P2P: two pages with the same key from the invite link decode each other, and show "encrypted";
 *   turning E2EE off and on again mid-call and changing the key keep media flowing for those with
 *   the same key.
 * - A browser without encoded transforms is shown as unable to encrypt, and cannot turn E2EE on.
 * - Every signalling frame the server received, captured by a WebSocket proxy in front of it,
 *   contains neither a passphrase nor any key derived from one.
 * What the SFU forwards of encrypted media: e2ee-sfu.e2e.test.ts.
 */

const rig = e2eeRig();

describe('end-to-end encryption in Chromium', () => {
  it('P2P: two pages with the key from the invite link decode each other and show "encrypted"; key changes keep media flowing', {
    timeout: 400_000,
  }, async () => {
    const room = 'QuietOwlsGuardSecretLetters';
    const a = await rig.openMeeting(room, 'A', 'secret phrase');
    const b = await rig.openMeeting(room, 'B', 'secret phrase');
    const [idA, idB] = [await selfId(a), await selfId(b)];
    for (const page of [a, b]) await rig.remember(page, 'secret phrase');

    await decodes(a, idB, 'A decodes B');
    await decodes(b, idA, 'B decodes A');
    for (const [page, other] of [
      [a, idB],
      [b, idA],
    ] as const) {
      await expect(page.getByTestId('meeting-mode').textContent()).resolves.toMatch(/peer-to-peer/i);
      await waitForIndicator(page, other, 'encrypted');
      await waitForBadge(page, 'on');
      // The invite link's key has left the address bar; the other options are still there.
      const hash = await page.evaluate(() => location.hash);
      expect(hash).not.toMatch(/e2ee/);
      expect(hash).toMatch(/prejoin=0/);
    }

    // A turns E2EE off: B (still encrypting) drops A's clear media and says why.
    await setKeyInDialog(a, null);
    await waitForIndicator(b, idA, 'unencrypted');
    await waitForBadge(b, 'partial');
    await expect(b.getByTestId('e2ee-not-everyone')).toBeVisibleSoon();

    // A turns it on again mid-call with another key: B cannot decrypt A, A cannot decrypt B.
    await setKeyInDialog(a, 'second phrase');
    await rig.remember(a, 'second phrase');
    await waitForIndicator(b, idA, 'cannot-decrypt');
    await waitForIndicator(a, idB, 'cannot-decrypt');
    await expect(
      b.locator(`[data-testid="remote-tile"][data-participant-id="${idA}"] [data-testid="e2ee-blocked"]`),
    ).toBeVisibleSoon();

    // B changes to the same key: media flows again both ways, and both show "encrypted".
    await setKeyInDialog(b, 'second phrase');
    await rig.remember(b, 'second phrase');
    for (const [page, other] of [
      [a, idB],
      [b, idA],
    ] as const) {
      await waitForIndicator(page, other, 'encrypted');
      await waitForBadge(page, 'on');
      await keepsDecoding(page, other);
      await eventually(
        async () =>
          (await page
            .locator(
              `[data-testid="remote-tile"][data-participant-id="${other}"] [data-testid="e2ee-blocked"]`,
            )
            .count()) === 0
            ? true
            : undefined,
        'the cover to go',
      );
    }
    await a.close();
    await b.close();
  });

  it('P11: a browser without encoded transforms shows as "cannot encrypt" with a warning at an encrypting page, and its own E2EE switch is disabled', {
    timeout: 200_000,
  }, async () => {
    const room = 'PaleLynxesCannotWhisper';
    const a = await rig.openMeeting(room, 'A', 'secret phrase');
    const b = await rig.openMeeting(room, 'B', undefined, withoutEncodedTransforms);
    const [idA, idB] = [await selfId(a), await selfId(b)];
    await rig.remember(a, 'secret phrase');
    // The control: the init script really took E2EE away from B, and B said so when joining.
    expect(await b.evaluate(() => conferenceOf().e2eeSupported)).toBe(false);
    expect(await a.evaluate(() => conferenceOf().e2eeSupported)).toBe(true);
    expect(await a.evaluate((id) => conferenceOf().participants.get(id)?.e2eeSupported, idB)).toBe(false);
    await eventually(async () => ((await e2eeOn(a)) ? true : undefined), 'E2EE on at A');

    await waitForIndicator(a, idB, 'cannot-encrypt');
    const warning = a.getByTestId('e2ee-cannot-encrypt');
    await expect(warning).toBeVisibleSoon();
    expect(await warning.textContent()).toMatch(/^Cannot encrypt: B\. .*hidden from you/);
    // B is named as unable, not lumped in with those who merely have E2EE off.
    expect(await a.getByTestId('e2ee-not-everyone').isVisible()).toBe(false);
    await expect(
      a.locator(
        `[data-testid="remote-tile"][data-participant-id="${idB}"] [data-testid="e2ee-blocked"][data-state="cannot-encrypt"]`,
      ),
    ).toBeVisibleSoon();

    // At B: A encrypts and B has no key and no way to get one; the dialog's Turn on button says so.
    await waitForIndicator(b, idA, 'cannot-decrypt');
    await b.getByTestId('security-toggle').click();
    const dialog = b.getByTestId('security-dialog');
    const toggle = dialog.getByTestId('e2ee-apply');
    expect(await toggle.textContent()).toBe('Turn on');
    expect(await toggle.isDisabled()).toBe(true);
    const note = dialog.getByTestId('e2ee-unsupported');
    expect(await note.isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-describedby')).toBe(await note.getAttribute('id'));
    await a.close();
    await b.close();
  });

  it('the server received neither a passphrase nor any derived key in any signalling frame', async () => {
    // The P2P test alone turns E2EE on for two pages and changes a key: at least four announcements.
    await rig.expectNoKeyMaterial(4);
  });
});
