import type { RoomState } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { type IconName, icon } from '../ui/icons.js';
import { cameraToggle, micToggle, type Toggle } from '../ui/toggle.js';

export interface ToolbarActions {
  mute(kind: 'audio' | 'video', muted: boolean): void;
  openDevices(): void;
  togglePanel(panel: 'people' | 'chat'): void;
  openSpeakerStats(): void;
  openLock(): void;
  setLobby(enabled: boolean): void;
  leave(): void;
}

/**
 * The meeting's bottom bar: own devices; people, chat (with the unread badge) and speaker stats;
 * for moderators the lock and lobby controls; and Leave. Moderator controls are hidden from
 * others for clarity only — the server refuses them from non-moderators anyway.
 */
export class Toolbar {
  readonly el: HTMLElement;
  readonly mic: Toggle;
  readonly camera: Toggle;
  readonly #people: HTMLButtonElement;
  readonly #chat: HTMLButtonElement;
  readonly #unread: HTMLElement;
  readonly #moderatorGroup: HTMLElement;
  readonly #lock: HTMLButtonElement;
  readonly #lobby: HTMLButtonElement;
  readonly #leave: HTMLButtonElement;
  /** Everything but microphone, camera and Leave: on a phone it folds into the "More" sheet. */
  readonly #extra: HTMLElement;
  readonly #more: HTMLButtonElement;
  #lobbyOn = false;

  constructor(ids: { people: string; chat: string }, actions: ToolbarActions) {
    this.mic = micToggle('mute-audio', (muted) => actions.mute('audio', muted));
    this.camera = cameraToggle('mute-video', (off) => actions.mute('video', off));
    const devices = roundButton(
      'device-settings',
      'sliders',
      t('toolbar.devices'),
      t('toolbar.devicesTitle'),
      () => actions.openDevices(),
    );
    devices.setAttribute('aria-haspopup', 'dialog');
    this.#people = roundButton(
      'toggle-participants',
      'people',
      t('toolbar.people'),
      t('toolbar.peopleTitle'),
      () => actions.togglePanel('people'),
    );
    this.#people.setAttribute('aria-controls', ids.people);
    this.#unread = h('span', { class: 'unread', testid: 'chat-unread', props: { hidden: true } });
    this.#chat = roundButton('chat-toggle', 'chat', t('toolbar.chat'), t('toolbar.chatTitle'), () =>
      actions.togglePanel('chat'),
    );
    this.#chat.setAttribute('aria-controls', ids.chat);
    this.#chat.append(this.#unread);
    const stats = roundButton(
      'speaker-stats-toggle',
      'stats',
      t('toolbar.stats'),
      t('toolbar.statsTitle'),
      () => actions.openSpeakerStats(),
    );
    stats.setAttribute('aria-haspopup', 'dialog');
    this.#lock = roundButton('lock-control', 'key', t('toolbar.lock'), t('toolbar.lockTitle'), () =>
      actions.openLock(),
    );
    this.#lock.setAttribute('aria-haspopup', 'dialog');
    this.#lobby = roundButton('lobby-toggle', 'door', t('toolbar.lobby'), t('toolbar.lobbyOnTitle'), () =>
      actions.setLobby(!this.#lobbyOn),
    );
    this.#lobby.classList.add('toggle-on');
    this.#lobby.setAttribute('aria-pressed', 'false');
    this.#moderatorGroup = h(
      'div',
      {
        class: 'toolbar-group',
        props: { hidden: true },
        attrs: { role: 'group', 'aria-label': t('toolbar.moderatorControls') },
      },
      this.#lock,
      this.#lobby,
    );
    this.#leave = h(
      'button',
      {
        class: 'button button-danger leave',
        testid: 'meeting-leave',
        props: { type: 'button' },
        on: { click: () => actions.leave() },
      },
      icon('leave'),
      h('span', { text: t('toolbar.leave') }),
    );
    this.#extra = h(
      'div',
      { class: 'toolbar-extra', props: { id: 'toolbar-extra' } },
      h('div', { class: 'toolbar-group' }, devices),
      h('div', { class: 'toolbar-group' }, this.#people, this.#chat, stats),
      this.#moderatorGroup,
    );
    // A control in the sheet opens a dialog or a panel: the sheet gets out of its way.
    this.#extra.addEventListener('click', (event) => {
      if (event.target instanceof Element && event.target.closest('button')) this.#setMoreOpen(false);
    });
    this.#more = h(
      'button',
      {
        class: 'button round toolbar-more',
        testid: 'toolbar-more',
        props: { type: 'button', title: t('toolbar.more') },
        attrs: {
          'aria-label': t('toolbar.more'),
          'aria-expanded': 'false',
          'aria-controls': 'toolbar-extra',
        },
        on: { click: () => this.#setMoreOpen(this.#more.getAttribute('aria-expanded') !== 'true') },
      },
      icon('more'),
    );
    this.el = h(
      'nav',
      {
        class: 'toolbar',
        attrs: { 'aria-label': t('toolbar.label') },
        on: {
          keydown: (event) => {
            if (event.key === 'Escape') this.#setMoreOpen(false);
          },
        },
      },
      h('div', { class: 'toolbar-group' }, this.mic.el, this.camera.el),
      this.#extra,
      this.#more,
      this.#leave,
    );
  }

  /** Adds a group of controls that another part of the meeting owns (recording, security), before Leave. */
  addGroup(group: HTMLElement): void {
    this.#extra.append(group);
  }

  #setMoreOpen(open: boolean): void {
    this.el.classList.toggle('more-open', open);
    this.#more.setAttribute('aria-expanded', String(open));
  }

  /** The people or chat button, e.g. for the keyboard shortcut that presses it. */
  panelButton(panel: 'people' | 'chat'): HTMLButtonElement {
    return panel === 'people' ? this.#people : this.#chat;
  }

  setPanelOpen(panel: 'people' | 'chat', open: boolean): void {
    (panel === 'people' ? this.#people : this.#chat).setAttribute('aria-expanded', String(open));
  }

  /** Unread chat messages; the badge shows only while the chat is closed and something is unread. */
  setUnread(count: number): void {
    this.#unread.hidden = count === 0;
    this.#unread.textContent = count > 99 ? '99+' : String(count);
    this.#chat.setAttribute('aria-label', count ? t('toolbar.chatUnread', { count }) : t('toolbar.chat'));
  }

  setModerator(moderator: boolean): void {
    this.#moderatorGroup.hidden = !moderator;
  }

  setRoom(room: RoomState): void {
    this.#lobbyOn = room.lobby;
    this.#lobby.setAttribute('aria-pressed', String(room.lobby));
    this.#lobby.title = room.lobby ? t('toolbar.lobbyOffTitle') : t('toolbar.lobbyOnTitle');
    this.#lock.classList.toggle('active', room.locked);
    this.#lock.title = room.locked ? t('toolbar.lockChangeTitle') : t('toolbar.lockTitle');
  }
}

function roundButton(
  testid: string,
  name: IconName,
  label: string,
  title: string,
  onClick: () => void,
): HTMLButtonElement {
  return h(
    'button',
    {
      class: 'button round',
      testid,
      props: { type: 'button', title },
      attrs: { 'aria-label': label },
      on: { click: onClick },
    },
    icon(name),
  );
}
