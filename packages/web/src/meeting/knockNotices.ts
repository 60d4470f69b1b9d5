import type { Knocker } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import { displayLabel } from '../ui/avatar.js';
import { chime } from '../ui/chime.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';

/**
 * Moderators: one notice per person waiting in the lobby, with their display name (as text) and
 * Admit / Deny. A new knock also plays a short locally synthesised chime. A notice goes away when
 * the server says the knock was resolved — by this moderator, another one, or the knocker leaving —
 * so every moderator's screen agrees.
 */
export class KnockNotices {
  readonly el: HTMLElement;
  readonly #notices = new Map<string, HTMLElement>();
  readonly #decide: (id: string, admit: boolean) => void;

  constructor(decide: (id: string, admit: boolean) => void) {
    this.#decide = decide;
    this.el = h('section', {
      class: 'knocks',
      testid: 'knock-notices',
      attrs: { 'aria-label': t('knock.label'), 'aria-live': 'assertive' },
    });
  }

  /** `sound` is off for knocks that were already waiting when this page joined or became moderator. */
  add(knocker: Knocker, sound: boolean): void {
    if (this.#notices.has(knocker.id)) return;
    const name = displayLabel(knocker.displayName);
    const buttons: HTMLButtonElement[] = [];
    const decide = (admit: boolean) => {
      // One decision per knock: the buttons stay disabled until the server resolves it.
      for (const b of buttons) b.disabled = true;
      this.#decide(knocker.id, admit);
    };
    buttons.push(
      h('button', {
        class: 'button button-secondary',
        testid: 'knock-deny',
        text: t('knock.deny'),
        props: { type: 'button' },
        attrs: { 'aria-label': t('knock.denyName', { name }) },
        on: { click: () => decide(false) },
      }),
      h('button', {
        class: 'button button-primary',
        testid: 'knock-admit',
        text: t('knock.admit'),
        props: { type: 'button' },
        attrs: { 'aria-label': t('knock.admitName', { name }) },
        on: { click: () => decide(true) },
      }),
    );
    const notice = h(
      'div',
      { class: 'knock', testid: 'knock-notice', attrs: { 'data-knocker-id': knocker.id, role: 'group' } },
      icon('bell'),
      h(
        'p',
        { class: 'knock-text' },
        h('strong', { class: 'knock-name', testid: 'knock-name', text: name }),
        h('span', { text: t('knock.wants') }),
      ),
      h('div', { class: 'knock-actions' }, ...buttons),
    );
    this.#notices.set(knocker.id, notice);
    this.el.append(notice);
    if (sound) chime();
  }

  remove(id: string): void {
    this.#notices.get(id)?.remove();
    this.#notices.delete(id);
  }

  /** A refused decision (e.g. the knocker already left) must not leave the buttons stuck. */
  enableAll(): void {
    for (const notice of this.#notices.values()) {
      for (const b of notice.querySelectorAll('button')) b.disabled = false;
    }
  }

  dispose(): void {
    this.#notices.clear();
    this.el.remove();
  }
}
