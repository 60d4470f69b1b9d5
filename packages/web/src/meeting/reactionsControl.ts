import type { Conference } from '@conclave/client';
import { REACTIONS, type ReactionEmoji } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';

/** How long a reaction floats over the stage. */
const SHOWN_MS = 4_000;
/** At most this many on screen at once (the server limits each sender; many senders add up). */
const MAX_SHOWN = 12;
/** The live region keeps the last few announcements, so a burst is not cut to its last word. */
const MAX_ANNOUNCED = 3;

/** What a reaction means, in words, for screen readers and tooltips. */
export function reactionWords(emoji: ReactionEmoji): string {
  return t(`reaction.${emoji}`);
}

/**
 * Reactions (issue 14): a toolbar button opening a row of emoji, reactions floating briefly over
 * the stage (decoration, hidden from screen readers), and a polite live region that says who
 * reacted how (`reactions-live`). Nothing is kept: the server relays each reaction once and limits
 * how fast anyone sends them (a refusal arrives as a `serverError` notice).
 */
export class ReactionsControl {
  /** The toolbar button and its picker, in one positioned wrapper. */
  readonly el: HTMLElement;
  /** Goes over the stage: where reactions float. */
  readonly stage: HTMLElement;
  /** The live region that announces reactions; sr-only. */
  readonly live: HTMLElement;
  readonly #toggle: HTMLButtonElement;
  readonly #picker: HTMLElement;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #off: () => void;

  constructor(options: {
    conference: Conference;
    act(action: () => void): boolean;
    nameOf(id: string): string;
  }) {
    const { conference } = options;
    this.#picker = h(
      'div',
      {
        class: 'reaction-picker',
        testid: 'reaction-picker',
        props: { hidden: true, id: 'reaction-picker' },
        attrs: { role: 'group', 'aria-label': t('reactions.label') },
        on: { keydown: (event) => this.#onKeydown(event) },
      },
      ...REACTIONS.map((emoji) =>
        h('button', {
          class: 'reaction-button',
          testid: 'reaction-button',
          text: emoji,
          props: { type: 'button', title: reactionWords(emoji) },
          attrs: {
            'data-emoji': emoji,
            'aria-label': t('reactions.send', { reaction: reactionWords(emoji) }),
          },
          on: { click: () => options.act(() => conference.react(emoji)) },
        }),
      ),
    );
    this.#toggle = h(
      'button',
      {
        class: 'button round',
        testid: 'reactions-toggle',
        props: { type: 'button', title: t('reactions.sendTitle') },
        attrs: {
          'aria-label': t('reactions.label'),
          'aria-expanded': 'false',
          'aria-controls': 'reaction-picker',
        },
        on: { click: () => this.setOpen(this.#picker.hidden) },
      },
      icon('smile'),
    );
    this.el = h('div', { class: 'reactions' }, this.#picker, this.#toggle);
    this.stage = h('div', { class: 'reaction-stage', attrs: { 'aria-hidden': 'true' } });
    this.live = h('div', {
      class: 'sr-only',
      testid: 'reactions-live',
      attrs: { role: 'status', 'aria-live': 'polite' },
    });
    this.#off = conference.on('reaction', ({ from, emoji }) => this.#show(options.nameOf(from), emoji));
  }

  setOpen(open: boolean): void {
    this.#picker.hidden = !open;
    this.#toggle.setAttribute('aria-expanded', String(open));
    if (open) this.#picker.querySelector('button')?.focus();
  }

  dispose(): void {
    this.#off();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #show(name: string, emoji: ReactionEmoji): void {
    const float = h(
      'span',
      { class: 'reaction-float', testid: 'reaction-float' },
      h('span', { class: 'reaction-emoji', text: emoji }),
      h('span', { class: 'reaction-name', text: name }),
    );
    // A little horizontal spread, so that reactions arriving together do not cover each other.
    float.style.left = `${10 + Math.random() * 70}%`;
    this.stage.append(float);
    while (this.stage.childElementCount > MAX_SHOWN) this.stage.firstElementChild?.remove();
    this.live.append(
      h('p', { text: t('reactions.announce', { name, reaction: reactionWords(emoji), emoji }) }),
    );
    while (this.live.childElementCount > MAX_ANNOUNCED) this.live.firstElementChild?.remove();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      float.remove();
    }, SHOWN_MS);
    this.#timers.add(timer);
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    this.setOpen(false);
    this.#toggle.focus();
  }
}
