import { h } from './dom.js';

/** The words of a generated room name: "SilverKitesCrossTheBay" → Silver, Kites, Cross, The, Bay. */
export function roomNameWords(name: string): string[] {
  return name.split(/(?<=[a-z0-9])(?=[A-Z])/);
}

/**
 * A room name as text with line-break opportunities between its words, so that a long name wraps
 * between words on a phone instead of in the middle of one.
 */
export function roomTitleText(name: string): HTMLElement {
  const title = h('span');
  for (const [i, word] of roomNameWords(name).entries()) {
    if (i > 0) title.append(h('wbr'));
    title.append(word);
  }
  return title;
}
