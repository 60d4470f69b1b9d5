import type { ParticipantInfo } from '@conclave/protocol';
import { displayLabel } from '../ui/avatar.js';
import { avatarView } from '../ui/avatarView.js';
import { h, srOnly } from '../ui/dom.js';
import { icon } from '../ui/icons.js';

/** The people panel: everyone in the meeting, this participant first, with role and mute marks. */
export class ParticipantList {
  readonly el: HTMLElement;
  readonly #heading: HTMLElement;
  readonly #list: HTMLUListElement;

  constructor(id: string) {
    this.#heading = h('h2', { class: 'panel-title', props: { id: `${id}-title` } });
    this.#list = h('ul', { class: 'people', testid: 'participant-list' });
    this.el = h(
      'aside',
      { class: 'panel', props: { id }, attrs: { 'aria-labelledby': `${id}-title` } },
      this.#heading,
      this.#list,
    );
  }

  /** Re-renders the whole list: meetings are small, and a full render cannot drift out of date. */
  render(self: ParticipantInfo, others: Iterable<ParticipantInfo>): void {
    const sorted = [...others].sort((a, b) =>
      displayLabel(a.displayName).localeCompare(displayLabel(b.displayName)),
    );
    this.#heading.textContent = `People (${sorted.length + 1})`;
    this.#list.replaceChildren(item(self, true), ...sorted.map((p) => item(p, false)));
  }
}

function item(info: ParticipantInfo, isSelf: boolean): HTMLLIElement {
  const avatar = avatarView(info.id);
  avatar.setName(info.displayName);
  avatar.el.classList.add('avatar-small');
  return h(
    'li',
    { class: 'person', testid: 'participant-item', attrs: { 'data-participant-id': info.id } },
    avatar.el,
    h(
      'span',
      // The title shows a long name in full where the panel cuts it short; it is text, not markup.
      { class: 'person-name', props: { title: displayLabel(info.displayName) } },
      h('span', { testid: 'participant-name', text: displayLabel(info.displayName) }),
      isSelf ? h('span', { class: 'muted-text', text: ' (you)' }) : null,
    ),
    info.role === 'moderator'
      ? h('span', { class: 'badge', testid: 'moderator-badge', text: 'Moderator' })
      : null,
    h(
      'span',
      { class: 'person-state' },
      info.audioMuted ? mark('micOff', 'microphone muted', 'participant-audio-muted') : null,
      info.videoMuted ? mark('cameraOff', 'camera off', 'participant-video-muted') : null,
    ),
  );
}

function mark(name: 'micOff' | 'cameraOff', label: string, testid: string): HTMLElement {
  return h('span', { class: 'state-mark', testid, props: { title: label } }, icon(name), srOnly(label));
}
