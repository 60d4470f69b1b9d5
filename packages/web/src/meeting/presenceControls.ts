import type { Conference } from '@conclave/client';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { EndMeetingControl } from './endMeetingControl.js';
import { InviteControl } from './inviteControl.js';
import { RaiseHandControl } from './raiseHandControl.js';
import { ReactionsControl } from './reactionsControl.js';
import { Shortcuts } from './shortcuts.js';
import type { Toolbar } from './toolbar.js';

export interface PresenceOptions {
  conference: Conference;
  room: string;
  toolbar: Toolbar;
  /** Where the raised hands show, besides the toolbar: the tiles and the people panel. */
  tiles: { setHands(queue: readonly string[]): void };
  people: { setHands(queue: readonly string[]): void };
  /** The E2EE passphrase this page uses now, if any (for the invite link's checkbox). */
  passphrase(): string | undefined;
  act(action: () => void): boolean;
  notify(text: string): void;
  announce(text: string): void;
  nameOf(id: string): string;
}

/**
 * Puts together the meeting's presence controls (issue 14), each a module of its own: raise hand
 * and reactions, invite, end for all (moderators) and the keyboard shortcuts. It adds their
 * toolbar groups (End for all last, next to Leave) and registers the shortcuts for the toolbar's
 * controls; a later feature adds its own key with `shortcuts.register`.
 */
export class PresenceControls {
  readonly hand: RaiseHandControl;
  readonly reactions: ReactionsControl;
  readonly invite: InviteControl;
  readonly end: EndMeetingControl;
  readonly shortcuts = new Shortcuts();

  constructor(options: PresenceOptions) {
    const { conference, toolbar, act } = options;
    this.hand = new RaiseHandControl({
      conference,
      act,
      notify: options.notify,
      announce: options.announce,
      nameOf: options.nameOf,
      show: (queue) => {
        options.tiles.setHands(queue);
        options.people.setHands(queue);
      },
    });
    this.reactions = new ReactionsControl({ conference, act, nameOf: options.nameOf });
    this.invite = new InviteControl({ conference, room: options.room, passphrase: options.passphrase });
    this.end = new EndMeetingControl({ conference, act });
    toolbar.addGroup(group(t('toolbar.handAndReactions'), this.hand.button, this.reactions.el));
    toolbar.addGroup(group(t('toolbar.invite'), this.invite.button));
    toolbar.addGroup(this.end.toolbarGroup);

    const press = (control: HTMLElement) => () => control.click();
    for (const [key, label, control] of [
      ['m', t('shortcuts.mic'), toolbar.mic.el],
      ['v', t('shortcuts.camera'), toolbar.camera.el],
      ['c', t('shortcuts.chat'), toolbar.panelButton('chat')],
      ['p', t('shortcuts.people'), toolbar.panelButton('people')],
      ['r', t('shortcuts.hand'), this.hand.button],
    ] as const) {
      this.shortcuts.register({ key, label, control, run: press(control) });
    }
  }

  setModerator(moderator: boolean): void {
    this.end.setModerator(moderator);
  }

  dispose(): void {
    this.hand.dispose();
    this.reactions.dispose();
    this.invite.dispose();
    this.end.dispose();
    this.shortcuts.dispose();
  }
}

function group(label: string, ...controls: HTMLElement[]): HTMLElement {
  return h('div', { class: 'toolbar-group', attrs: { role: 'group', 'aria-label': label } }, ...controls);
}
