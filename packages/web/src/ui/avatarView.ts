import { avatarColour, initials } from './avatar.js';
import { h } from './dom.js';

export interface AvatarView {
  readonly el: HTMLElement;
  setName(displayName: string | undefined): void;
}

/** Initials on a colour derived from `id`, drawn locally (P8). */
export function avatarView(id: string, testid?: string): AvatarView {
  const el = h('div', { class: 'avatar', attrs: { 'aria-hidden': 'true' }, ...(testid ? { testid } : {}) });
  // CSSOM assignment, not a style attribute in markup, so the strict CSP allows it.
  el.style.backgroundColor = avatarColour(id);
  return {
    el,
    setName(displayName) {
      el.textContent = initials(displayName);
    },
  };
}
