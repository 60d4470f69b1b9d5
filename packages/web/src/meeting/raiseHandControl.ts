import type { Conference } from '@conclave/client';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';

export interface RaiseHandOptions {
  conference: Conference;
  /** Runs a conference action; a closed connection becomes a notice (false) instead of an exception. */
  act(action: () => void): boolean;
  notify(text: string): void;
  /** Says something to screen readers (a polite live region). */
  announce(text: string): void;
  nameOf(id: string): string;
  /** Shows the queue (first raised first) on the tiles and in the people panel. */
  show(queue: readonly string[]): void;
}

/**
 * Raise hand (issue 14): the toolbar's toggle (`raise-hand`, pressed while this participant's hand
 * is up), and everyone's queue from the conference's `hands` events, handed to the tiles and the
 * people panel. Raising, lowering and who may lower whose hand are the server's to decide.
 */
export class RaiseHandControl {
  readonly button: HTMLButtonElement;
  readonly #options: RaiseHandOptions;
  readonly #off: () => void;

  constructor(options: RaiseHandOptions) {
    this.#options = options;
    const { conference } = options;
    this.button = h(
      'button',
      {
        class: 'button round toggle-on raise-hand',
        testid: 'raise-hand',
        props: { type: 'button' },
        attrs: { 'aria-label': t('hand.raise'), 'aria-pressed': 'false' },
        on: { click: () => this.toggle() },
      },
      icon('hand'),
    );
    this.#off = conference.on('hands', ({ queue, change }) => {
      this.#render(queue);
      if (!change) return;
      const self = conference.self.id;
      if (change.id === self && change.by !== self && !change.raised) {
        options.notify(t('hand.loweredByModerator'));
      }
      options.announce(handWords(change, options.nameOf));
    });
    this.#render(conference.hands);
  }

  get raised(): boolean {
    return this.#options.conference.handRaised;
  }

  toggle(): void {
    const { conference, act } = this.#options;
    act(() => (this.raised ? conference.lowerHand() : conference.raiseHand()));
  }

  dispose(): void {
    this.#off();
  }

  #render(queue: readonly string[]): void {
    const raised = this.raised;
    this.button.setAttribute('aria-pressed', String(raised));
    this.button.title = raised ? t('hand.lowerTitle') : t('hand.raiseTitle');
    this.#options.show(queue);
  }
}

function handWords(
  change: { id: string; raised: boolean; by: string },
  nameOf: (id: string) => string,
): string {
  const who = nameOf(change.id);
  if (change.raised) return t('hand.raised', { name: who });
  if (change.by === change.id) return t('hand.lowered', { name: who });
  return t('hand.loweredBy', { by: nameOf(change.by), name: who });
}
