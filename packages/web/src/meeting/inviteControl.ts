import type { Conference } from '@conclave/client';
import { t } from '../i18n/index.js';
import { modal } from '../ui/dialog.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';
import { inviteLink } from './inviteLink.js';

/**
 * Invite (issue 14): a toolbar button opening a dialog with the meeting's link and "Copy link".
 * While this page encrypts end to end, a checkbox (off by default) adds the passphrase to the link's
 * fragment (`inviteLink`); the dialog says what that means. The passphrase stays in this page's
 * memory: it is read from `passphrase()` whenever the link is built and never sent anywhere.
 */
export class InviteControl {
  readonly button: HTMLButtonElement;
  readonly #dialog = modal({ testid: 'invite-dialog', title: t('invite.title') });
  readonly #link: HTMLInputElement;
  readonly #includeKey: HTMLInputElement;
  readonly #keyOption: HTMLElement;
  readonly #status: HTMLElement;
  readonly #conference: Conference;
  readonly #room: string;
  readonly #passphrase: () => string | undefined;

  constructor(options: { conference: Conference; room: string; passphrase(): string | undefined }) {
    this.#conference = options.conference;
    this.#room = options.room;
    this.#passphrase = options.passphrase;
    this.button = h(
      'button',
      {
        class: 'button round',
        testid: 'invite-toggle',
        props: { type: 'button', title: t('invite.buttonTitle') },
        attrs: { 'aria-label': t('invite.title'), 'aria-haspopup': 'dialog' },
        on: { click: () => this.open() },
      },
      icon('link'),
    );
    this.#link = h('input', {
      class: 'text-input invite-link',
      testid: 'invite-link',
      props: { type: 'text', readOnly: true },
      attrs: { 'aria-label': t('invite.link') },
      on: { focus: () => this.#link.select() },
    });
    this.#includeKey = h('input', {
      testid: 'invite-include-key',
      props: { type: 'checkbox' },
      on: { change: () => this.#render() },
    });
    this.#keyOption = h(
      'div',
      { class: 'invite-key' },
      h('label', { class: 'invite-key-row' }, this.#includeKey, h('span', { text: t('invite.includeKey') })),
      h('p', {
        class: 'field-help',
        text: t('invite.keyHelp'),
      }),
    );
    this.#status = h('p', { class: 'field-help', testid: 'invite-status', attrs: { role: 'status' } });
    const copy = h(
      'button',
      {
        class: 'button button-primary',
        testid: 'invite-copy',
        props: { type: 'button' },
        on: { click: () => void this.copy() },
      },
      t('invite.copy'),
    );
    this.#dialog.body.append(
      h('p', { class: 'dialog-text', text: t('invite.text') }),
      this.#link,
      this.#keyOption,
      h('div', { class: 'dialog-actions' }, copy),
      this.#status,
    );
  }

  open(): void {
    this.#includeKey.checked = false;
    this.#status.textContent = '';
    this.#render();
    this.#dialog.open();
  }

  /** The link as the dialog now builds it. */
  get link(): string {
    const key = this.#keyAvailable() && this.#includeKey.checked ? this.#passphrase() : undefined;
    return inviteLink(location.origin, this.#room, key);
  }

  async copy(): Promise<void> {
    this.#render();
    const link = this.link;
    try {
      await navigator.clipboard.writeText(link);
      this.#status.textContent = this.#includeKey.checked ? t('invite.copiedWithKey') : t('invite.copied');
    } catch {
      // No clipboard access (permissions, an insecure origin): the link is selected for copying by hand.
      this.#link.focus();
      this.#link.select();
      this.#status.textContent = t('invite.copyBlocked');
    }
  }

  dispose(): void {
    this.#dialog.close();
    this.#dialog.el.remove();
  }

  #keyAvailable(): boolean {
    return this.#conference.e2eeEnabled && Boolean(this.#passphrase());
  }

  #render(): void {
    const available = this.#keyAvailable();
    this.#keyOption.hidden = !available;
    if (!available) this.#includeKey.checked = false;
    this.#link.value = this.link;
  }
}
