import { ordinal, t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';

/*
 * The raised-hand mark shown on a tile and in the people panel: a hand and the place in the queue
 * (1 = raised first), with the same words for screen readers.
 */

export function handBadge(position: number): HTMLElement {
  const words = t('hand.badge', { position: ordinal(position) });
  return h(
    'span',
    {
      class: 'hand-badge',
      testid: 'hand-badge',
      attrs: { 'data-position': String(position), role: 'img', 'aria-label': words },
      props: { title: words },
    },
    // The drawn hand, not an emoji: it shows the same wherever there is no emoji font.
    icon('hand'),
    h('span', { attrs: { 'aria-hidden': 'true' }, text: String(position) }),
  );
}

/** Puts the badge for `position` in `parent` (replacing `current`), or removes it (undefined). */
export function placeHandBadge(
  parent: HTMLElement,
  current: HTMLElement | undefined,
  position: number | undefined,
): HTMLElement | undefined {
  if (position === undefined) {
    current?.remove();
    return undefined;
  }
  if (current?.dataset.position === String(position)) return current;
  const next = handBadge(position);
  if (current) current.replaceWith(next);
  else parent.append(next);
  return next;
}

/** Each raised hand's place in the queue (1-based), by participant id. */
export function queuePositions(queue: readonly string[]): Map<string, number> {
  return new Map(queue.map((id, i) => [id, i + 1]));
}
