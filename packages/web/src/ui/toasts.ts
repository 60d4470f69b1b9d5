import { t } from '../i18n/index.js';
import { h } from './dom.js';
import { icon } from './icons.js';

export interface ToastOptions {
  /** Stable test id; `toast` unless a notice has its own (e.g. `mute-notice`). */
  testid?: string;
  tone?: 'info' | 'error';
  /** How long it stays; long enough to read two lines. */
  durationMs?: number;
}

const MAX_VISIBLE = 4;

/**
 * Short-lived notices in a corner: refusals from the server, "a moderator muted you", role
 * changes. They sit in a polite live region so screen readers announce them without stealing
 * focus, and each can be dismissed early.
 */
export class Toasts {
  readonly el: HTMLElement;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor() {
    this.el = h('div', { class: 'toasts', attrs: { role: 'status', 'aria-live': 'polite' } });
  }

  show(text: string, options: ToastOptions = {}): HTMLElement {
    const toast = h(
      'div',
      { class: `toast toast-${options.tone ?? 'info'}`, testid: options.testid ?? 'toast' },
      h('p', { class: 'toast-text', text }),
      h(
        'button',
        {
          class: 'toast-close',
          props: { type: 'button', title: t('toast.dismiss') },
          attrs: { 'aria-label': t('toast.dismiss') },
          on: { click: () => toast.remove() },
        },
        icon('close'),
      ),
    );
    this.el.append(toast);
    // The oldest go first when many arrive at once (a burst of refusals must not fill the screen).
    while (this.el.childElementCount > MAX_VISIBLE) this.el.firstElementChild?.remove();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      toast.remove();
    }, options.durationMs ?? 6000);
    this.#timers.add(timer);
    return toast;
  }

  dispose(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.el.remove();
  }
}
