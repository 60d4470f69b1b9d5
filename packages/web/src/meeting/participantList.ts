import type { ParticipantInfo } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import { displayLabel } from '../ui/avatar.js';
import { avatarView } from '../ui/avatarView.js';
import { h, srOnly } from '../ui/dom.js';
import { icon } from '../ui/icons.js';
import { mediaProblem } from '../ui/mediaAvailability.js';
import { e2eeIndicator, placeIndicator } from './e2eeMarks.js';
import { handBadge, queuePositions } from './handBadge.js';
import { participantMenu } from './participantMenu.js';
import { pinWords } from './pinWords.js';
import type { E2EEIndicatorState } from './securityState.js';

/** What the people panel can ask for; the view decides how (e.g. kick asks for confirmation). */
export interface PeopleActions {
  requestMute(id: string): void;
  grantModerator(id: string): void;
  kick(id: string): void;
  muteAll(): void;
  editProfile(): void;
  /** Lower someone's raised hand (moderators), or one's own. */
  lowerHand(id: string): void;
  /** Pin someone to the stage, or unpin them if they are pinned. */
  togglePin(id: string): void;
}

/**
 * The people panel: everyone in the meeting, this participant first, with role, mute and
 * end-to-end encryption marks, e-mail when someone shared one (only participants ever see it, P5),
 * and — for moderators — a menu per participant and "Mute everyone". The UI only hides what a
 * participant may not do; the server checks the role of every action.
 */
export class ParticipantList {
  readonly el: HTMLElement;
  readonly #heading: HTMLElement;
  readonly #list: HTMLUListElement;
  readonly #muteAll: HTMLButtonElement;
  readonly #actions: PeopleActions;
  /** The participant whose menu is open; kept across re-renders so an update does not close it. */
  #menuFor: string | undefined;
  #focusMenu = false;
  #last: { self: ParticipantInfo; others: ParticipantInfo[] } | undefined;
  /** Each participant's E2EE mark (setEncryption), and where the rendered items show it. */
  #encryption: ReadonlyMap<string, E2EEIndicatorState> = new Map();
  readonly #marks = new Map<string, { place: HTMLElement; mark: HTMLElement | undefined }>();
  /** Raised hands: each one's place in the queue (setHands). */
  #hands: ReadonlyMap<string, number> = new Map();
  /** Whom this participant pinned (setPinned). */
  #pinned: string | null = null;
  readonly #onDocumentClick = (event: MouseEvent) => {
    if (this.#menuFor === undefined) return;
    const target = event.target as Element | null;
    if (target?.closest('[data-menu-owner]')) return;
    this.#setMenu(undefined);
  };

  constructor(id: string, actions: PeopleActions) {
    this.#actions = actions;
    this.#heading = h('h2', { class: 'panel-title', props: { id: `${id}-title` } });
    this.#list = h('ul', { class: 'people', testid: 'participant-list' });
    this.#muteAll = h(
      'button',
      {
        class: 'button button-secondary panel-action',
        testid: 'mute-all',
        props: { type: 'button', hidden: true, title: t('people.muteAllTitle') },
        on: { click: () => actions.muteAll() },
      },
      icon('micOff'),
      t('people.muteAll'),
    );
    this.el = h(
      'aside',
      {
        class: 'panel',
        props: { id },
        attrs: { 'aria-labelledby': `${id}-title` },
        on: { keydown: (event) => this.#onKeydown(event) },
      },
      this.#heading,
      this.#muteAll,
      this.#list,
    );
    document.addEventListener('click', this.#onDocumentClick);
  }

  /** Re-renders the whole list: meetings are small, and a full render cannot drift out of date. */
  render(self: ParticipantInfo, others: Iterable<ParticipantInfo>): void {
    // Raised hands first, in the order they went up, so moderators see whose turn it is.
    const place = (p: ParticipantInfo) => this.#hands.get(p.id) ?? Number.POSITIVE_INFINITY;
    const sorted = [...others].sort(
      (a, b) => place(a) - place(b) || displayLabel(a.displayName).localeCompare(displayLabel(b.displayName)),
    );
    this.#last = { self, others: sorted };
    const moderator = self.role === 'moderator';
    if (this.#menuFor !== undefined && (!moderator || !sorted.some((p) => p.id === this.#menuFor))) {
      this.#menuFor = undefined;
    }
    // Re-rendering replaces the elements; keep keyboard focus on the same control.
    const focused = document.activeElement;
    const focusKey =
      focused instanceof HTMLElement && this.el.contains(focused) ? focusKeyOf(focused) : undefined;

    this.#heading.textContent = t('people.heading', { count: sorted.length + 1 });
    this.#muteAll.hidden = !moderator || sorted.length === 0;
    this.#marks.clear();
    this.#list.replaceChildren(
      this.#item(self, true, false),
      ...sorted.map((p) => this.#item(p, false, moderator)),
    );
    if (focusKey) this.#list.querySelector<HTMLElement>(focusKey)?.focus();
    this.#focusMenu = false;
  }

  /** The raised hands, first raised first: each person shows their place in the queue. */
  setHands(queue: readonly string[]): void {
    this.#hands = queuePositions(queue);
    if (this.#last) this.render(this.#last.self, this.#last.others);
  }

  /** Whom this participant pinned to the stage: their pin button says "Unpin". */
  setPinned(id: string | null): void {
    if (this.#pinned === id) return;
    this.#pinned = id;
    if (this.#last) this.render(this.#last.self, this.#last.others);
  }

  /** Each participant's E2EE mark, by participant id (this participant's own included). */
  setEncryption(states: ReadonlyMap<string, E2EEIndicatorState>): void {
    this.#encryption = states;
    for (const [id, row] of this.#marks) {
      const state = states.get(id);
      if (state) row.mark = placeIndicator(row.place, row.mark, state);
    }
  }

  dispose(): void {
    document.removeEventListener('click', this.#onDocumentClick);
  }

  #item(info: ParticipantInfo, isSelf: boolean, canModerate: boolean): HTMLLIElement {
    const avatar = avatarView(info.id);
    avatar.setName(info.displayName);
    avatar.el.classList.add('avatar-small');
    const label = displayLabel(info.displayName);
    const encryption = this.#encryption.get(info.id);
    const e2ee = encryption ? e2eeIndicator(encryption) : undefined;
    const hand = this.#hands.get(info.id);
    const marks = h(
      'span',
      { class: 'person-state' },
      info.audioMuted ? mark('micOff', t('people.micMuted'), 'participant-audio-muted') : null,
      info.videoMuted ? mark('cameraOff', t('people.cameraOff'), 'participant-video-muted') : null,
      e2ee,
    );
    this.#marks.set(info.id, { place: marks, mark: e2ee });
    const li = h(
      'li',
      { class: 'person', testid: 'participant-item', attrs: { 'data-participant-id': info.id } },
      avatar.el,
      h(
        'span',
        { class: 'person-text' },
        h(
          'span',
          // The title shows a long name in full where the panel cuts it short; it is text, not markup.
          { class: 'person-name', props: { title: label } },
          h('span', { testid: 'participant-name', text: label }),
          isSelf ? h('span', { class: 'muted-text', text: t('people.you') }) : null,
        ),
        // Role, e-mail and a media problem go on a second line, so the name keeps the panel's width.
        // The raised hand goes there too: on the first line it would squeeze the name.
        hand !== undefined || info.role === 'moderator' || info.email || mediaProblem(info)
          ? h(
              'span',
              { class: 'person-sub' },
              hand === undefined ? null : handBadge(hand),
              info.role === 'moderator'
                ? h('span', { class: 'badge', testid: 'moderator-badge', text: t('people.moderator') })
                : null,
              info.email
                ? h('span', {
                    class: 'person-email',
                    testid: 'participant-email',
                    text: info.email,
                    props: { title: info.email },
                  })
                : null,
              mediaProblem(info)
                ? h('span', {
                    class: 'person-media',
                    testid: 'participant-media-problem',
                    text: mediaProblem(info),
                  })
                : null,
            )
          : null,
      ),
      marks,
    );
    if (hand !== undefined && (isSelf || canModerate))
      li.append(this.#lowerHandButton(info.id, isSelf, label));
    if (isSelf) li.append(this.#editButton());
    li.append(this.#pinButton(info.id, isSelf, label));
    if (canModerate) {
      li.append(
        participantMenu({
          info,
          open: this.#menuFor === info.id,
          focusFirst: this.#focusMenu && this.#menuFor === info.id,
          onToggle: () => this.#setMenu(this.#menuFor === info.id ? undefined : info.id),
          onAction: (action) => {
            this.#setMenu(undefined);
            if (action === 'mute') this.#actions.requestMute(info.id);
            else if (action === 'moderator') this.#actions.grantModerator(info.id);
            else this.#actions.kick(info.id);
          },
        }),
      );
    }
    return li;
  }

  #lowerHandButton(id: string, isSelf: boolean, label: string): HTMLButtonElement {
    const words = isSelf ? t('people.lowerOwnHand') : t('people.lowerHandOf', { name: label });
    return h(
      'button',
      {
        class: 'button icon-button person-action',
        testid: 'lower-hand',
        props: { type: 'button', title: words },
        attrs: { 'aria-label': words, 'data-focus-key': 'lower-hand' },
        on: { click: () => this.#actions.lowerHand(id) },
      },
      icon('hand'),
    );
  }

  #pinButton(id: string, isSelf: boolean, label: string): HTMLButtonElement {
    const pinned = this.#pinned === id;
    const { label: words, title } = pinWords(pinned, isSelf, label);
    return h(
      'button',
      {
        class: `button icon-button person-action${pinned ? ' active' : ''}`,
        testid: 'participant-pin',
        props: { type: 'button', title: pinned ? words : title },
        attrs: { 'aria-label': words, 'aria-pressed': String(pinned), 'data-focus-key': 'participant-pin' },
        on: { click: () => this.#actions.togglePin(id) },
      },
      icon('pin'),
    );
  }

  #editButton(): HTMLButtonElement {
    return h(
      'button',
      {
        class: 'button icon-button person-action',
        testid: 'profile-edit',
        props: { type: 'button', title: t('people.editProfile') },
        attrs: { 'aria-label': t('people.editProfile'), 'data-focus-key': 'profile-edit' },
        on: { click: () => this.#actions.editProfile() },
      },
      icon('edit'),
    );
  }

  #setMenu(id: string | undefined): void {
    if (this.#menuFor === id) return;
    this.#menuFor = id;
    this.#focusMenu = id !== undefined;
    if (this.#last) this.render(this.#last.self, this.#last.others);
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || this.#menuFor === undefined) return;
    const owner = this.#menuFor;
    this.#setMenu(undefined);
    this.#list
      .querySelector<HTMLElement>(
        `[data-participant-id="${CSS.escape(owner)}"] [data-testid="participant-menu"]`,
      )
      ?.focus();
  }
}

function focusKeyOf(el: HTMLElement): string | undefined {
  const key = el.dataset.focusKey;
  if (!key) return undefined;
  const owner = el.closest<HTMLElement>('[data-participant-id]')?.dataset.participantId;
  const inItem = owner ? `[data-participant-id="${CSS.escape(owner)}"] ` : '';
  return `${inItem}[data-focus-key="${CSS.escape(key)}"]`;
}

function mark(name: 'micOff' | 'cameraOff', label: string, testid: string): HTMLElement {
  return h('span', { class: 'state-mark', testid, props: { title: label } }, icon(name), srOnly(label));
}
