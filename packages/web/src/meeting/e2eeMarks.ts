import { h, srOnly } from '../ui/dom.js';
import { type IconName, icon } from '../ui/icons.js';
import { type E2EEIndicatorState, indicatorText } from './securityState.js';

/*
 * The elements that show someone's end-to-end encryption: the mark (`e2ee-indicator`) that tiles,
 * the people panel and the security dialog carry, and the cover over a tile whose media this page
 * cannot show (`e2ee-blocked`). Their owners place them; what they say comes from securityState.
 */

export const STATE_ICON: Record<E2EEIndicatorState, IconName> = {
  encrypted: 'lock',
  unencrypted: 'unlock',
  'cannot-encrypt': 'warning',
  'cannot-decrypt': 'warning',
};

export function e2eeIndicator(state: E2EEIndicatorState): HTMLElement {
  const text = indicatorText(state);
  return h(
    'span',
    {
      class: `e2ee-indicator e2ee-${state}`,
      testid: 'e2ee-indicator',
      attrs: { 'data-state': state },
      props: { title: text.title },
    },
    icon(STATE_ICON[state]),
    srOnly(text.label),
  );
}

/** The mark for `state` at the end of `parent`: `current` if it says that already, else a new one in its place. */
export function placeIndicator(
  parent: Element,
  current: HTMLElement | undefined,
  state: E2EEIndicatorState,
): HTMLElement {
  if (current?.dataset.state === state) return current;
  const next = e2eeIndicator(state);
  if (current) current.replaceWith(next);
  else parent.append(next);
  return next;
}

export function e2eeCover(state: E2EEIndicatorState, text: string): HTMLElement {
  return h(
    'div',
    { class: 'e2ee-cover', testid: 'e2ee-blocked', attrs: { 'data-state': state, role: 'status' } },
    icon(STATE_ICON[state]),
    h('span', { text }),
  );
}
