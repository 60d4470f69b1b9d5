import type { Conference } from '@conclave/client';
import type { ParticipantInfo } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import { displayLabel } from '../ui/avatar.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';
import { SecurityBanners } from './securityBanners.js';
import { SecurityDialog } from './securityDialog.js';
import {
  cannotEncryptWarning,
  type E2EEMarks,
  e2eeMarks,
  meetingBadgeText,
  meetingState,
  type RemoteE2EE,
  remoteIndicatorState,
} from './securityState.js';

export interface SecurityOptions {
  conference: Conference;
  /** Where each participant's E2EE marks go: the tile grid (marks and covers) and the people panel. */
  tiles: { setEncryption(marks: E2EEMarks['tiles']): void };
  people: { setEncryption(marks: E2EEMarks['people']): void };
  /** A passphrase was applied (or null: E2EE turned off), so a rejoin can apply it again. */
  onPassphraseChange(passphrase: string | null): void;
}

/**
 * End-to-end encryption in the meeting UI (issue 4, PRIVACY P11): the Security button and dialog
 * (E2EE switch and Key field), a header badge saying whether E2EE is on for everyone, an indicator
 * per participant on tiles and in the people panel (encrypted / not encrypted / cannot decrypt),
 * a cover over tiles whose media this page cannot show, and warnings when this browser cannot
 * encrypt or someone does not.
 *
 * It follows the conference's events and hands each part what to show: the badge and button are
 * its own, the warnings are SecurityBanners', the dialog SecurityDialog's, and the marks go to the
 * tiles and the people panel through their `setEncryption`. The passphrase stays in this page's
 * memory: it goes to `Conference.setE2EE`, which derives keys locally and tells the server only
 * "on" or "off".
 */
export class SecurityControls {
  /** The toolbar button (`security-toggle`), in a group of its own. */
  readonly toolbarGroup: HTMLElement;
  /** The header badge (`e2ee-badge`, `data-state="on|partial|off"`). */
  readonly badge: HTMLElement;
  /** Warnings under the header: this browser cannot encrypt, or someone does not while others do. */
  readonly banner: HTMLElement;
  readonly #options: SecurityOptions;
  readonly #conference: Conference;
  readonly #button: HTMLButtonElement;
  readonly #banners: SecurityBanners;
  readonly #dialog: SecurityDialog;
  readonly #offs: (() => void)[] = [];
  #disposed = false;

  constructor(options: SecurityOptions) {
    this.#options = options;
    const conference = options.conference;
    this.#conference = conference;

    this.#button = h(
      'button',
      {
        class: 'button round security-toggle',
        testid: 'security-toggle',
        props: { type: 'button', title: t('e2ee.title') },
        attrs: { 'aria-label': t('e2ee.toggle'), 'aria-haspopup': 'dialog' },
        on: { click: () => this.open() },
      },
      icon('unlock'),
    );
    this.toolbarGroup = h(
      'div',
      { class: 'toolbar-group', attrs: { role: 'group', 'aria-label': t('e2ee.group') } },
      this.#button,
    );
    this.badge = h('button', {
      class: 'room-badge e2ee-badge',
      testid: 'e2ee-badge',
      props: { type: 'button' },
      on: { click: () => this.open() },
    });
    this.#banners = new SecurityBanners(conference.e2eeSupported);
    this.banner = this.#banners.el;
    this.#dialog = new SecurityDialog({
      supported: conference.e2eeSupported,
      enabled: () => conference.e2eeEnabled,
      change: async (passphrase) => {
        await conference.setE2EE(passphrase);
        if (!this.#disposed) options.onPassphraseChange(passphrase);
      },
      applied: () => this.render(),
    });

    const rerender = () => this.render();
    this.#offs.push(
      conference.on('decryptState', rerender),
      conference.on('e2eeChanged', rerender),
      conference.on('participantJoined', rerender),
      conference.on('participantUpdated', rerender),
      conference.on('participantLeft', rerender),
      conference.on('selfUpdated', rerender),
    );
    this.render();
  }

  open(): void {
    this.#dialog.open();
  }

  /**
   * Turns E2EE on with `passphrase` (or changes the key), or off with null, as the dialog does.
   * Resolves true once applied.
   */
  apply(passphrase: string | null): Promise<boolean> {
    return this.#dialog.apply(passphrase);
  }

  /** Updates badge, warnings, dialog and every participant's marks from the conference's state. */
  render(): void {
    if (this.#disposed) return;
    const conference = this.#conference;
    const self = conference.e2eeEnabled;
    const others = [...conference.participants.values()];
    const remote = others.map((p) => this.#remoteOf(p));
    const state = meetingState(self, remote);

    const text = meetingBadgeText(state);
    this.badge.dataset.state = state;
    this.badge.title = text.title;
    this.badge.replaceChildren(
      icon(state === 'on' ? 'lock' : state === 'off' ? 'unlock' : 'warning'),
      text.label,
    );
    this.#button.replaceChildren(icon(self ? 'lock' : 'unlock'));
    this.#button.classList.toggle('active', self);
    this.#button.setAttribute('aria-pressed', String(self));

    // Warnings: this browser cannot encrypt (shown once anyone in the meeting uses E2EE, and
    // always in the dialog); someone does not encrypt or cannot be decrypted while E2EE is in use.
    const othersE2EE = remote.some((r) => r.e2ee);
    const anyone = self || othersE2EE;
    const problems = others
      .map((p, i) => ({
        id: p.id,
        name: name(p),
        state: remoteIndicatorState(remote[i] as RemoteE2EE, self),
      }))
      .filter((x) => x.state !== 'encrypted');
    this.#banners.render({
      anyone,
      notEncrypting: problems.filter((x) => x.state === 'unencrypted').map((x) => x.name),
      cannotEncrypt: cannotEncryptWarning(
        self,
        othersE2EE,
        problems.filter((x) => x.state === 'cannot-encrypt').map((x) => x.name),
      ),
    });
    this.#dialog.render({ self, meeting: state, anyone, problems });

    const marks = e2eeMarks({ id: conference.self.id, e2ee: self }, remote);
    this.#options.tiles.setEncryption(marks.tiles);
    this.#options.people.setEncryption(marks.people);
  }

  dispose(): void {
    this.#disposed = true;
    for (const off of this.#offs) off();
    this.#dialog.dispose();
  }

  #remoteOf(info: ParticipantInfo): RemoteE2EE & { id: string } {
    return {
      id: info.id,
      e2ee: info.e2ee,
      e2eeSupported: info.e2eeSupported,
      decrypt: this.#conference.decryptStateOf(info.id),
    };
  }
}

function name(info: ParticipantInfo): string {
  return displayLabel(info.displayName);
}
