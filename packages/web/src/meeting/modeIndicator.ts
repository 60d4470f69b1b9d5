import type { MediaMode } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { connectionNote, mediaModeLabel } from '../ui/mediaMode.js';

/** The always-visible "Peer-to-peer" / "Via server" / "Waiting for others" pill. */
export class ModeIndicator {
  readonly el: HTMLElement;
  readonly #label: HTMLElement;
  readonly #note: HTMLElement;
  readonly #detail: HTMLElement;
  #mode: MediaMode = 'none';
  #unavailable: 'self' | 'others' | undefined;

  constructor() {
    this.#label = h('span', { class: 'mode-label', testid: 'meeting-mode-label' });
    this.#note = h('span', { class: 'mode-note' });
    this.#detail = h('span', { class: 'sr-only' });
    this.el = h(
      'p',
      { class: 'mode', testid: 'meeting-mode', attrs: { role: 'status' } },
      h('span', { class: 'mode-dot', attrs: { 'aria-hidden': 'true' } }),
      this.#label,
      this.#note,
      this.#detail,
    );
  }

  /**
   * No media path is possible: this browser has no WebRTC (`self`), or nobody else here can connect
   * (`others`). Shown instead of "Waiting for others" while the mode is `none`, so nobody waits for
   * a call that cannot happen (issue 17, finding 12).
   */
  setUnavailable(unavailable: 'self' | 'others' | undefined): void {
    if (this.#unavailable === unavailable) return;
    this.#unavailable = unavailable;
    this.setMode(this.#mode);
  }

  setMode(mode: MediaMode): void {
    this.#mode = mode;
    const { label, detail } =
      mode === 'none' && this.#unavailable ? unavailableLabel(this.#unavailable) : mediaModeLabel(mode);
    this.el.dataset.unavailable = this.#unavailable ?? '';
    this.el.dataset.mode = mode;
    this.el.title = detail;
    this.#label.textContent = label;
    this.#detail.textContent = `. ${detail}`;
    // A new media path starts connecting; its state events say when it is up.
    this.setConnection(mode === 'none' ? 'connected' : 'connecting');
  }

  setConnection(state: RTCPeerConnectionState): void {
    const note = this.#mode === 'none' ? undefined : connectionNote(state);
    this.el.dataset.connection = state;
    this.#note.textContent = note ? ` · ${note}` : '';
  }
}

function unavailableLabel(who: 'self' | 'others'): { label: string; detail: string } {
  return who === 'self'
    ? { label: t('mode.chatOnly'), detail: t('mode.chatOnlyDetail') }
    : { label: t('mode.noMedia'), detail: t('mode.noMediaDetail') };
}
