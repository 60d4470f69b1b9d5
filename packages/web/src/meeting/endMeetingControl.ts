import type { Conference } from '@conclave/client';
import { t } from '../i18n/index.js';
import { confirmDialog, type Modal } from '../ui/dialog.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';

/**
 * End the meeting for everyone (issue 14): moderators only, next to Leave, always after a
 * confirmation. Leaving alone stays one click and asks nothing. The server checks the role and
 * then drops the meeting; everyone's page shows that the moderator ended it.
 */
export class EndMeetingControl {
  readonly toolbarGroup: HTMLElement;
  #dialog: Modal | undefined;

  constructor(options: { conference: Conference; act(action: () => void): boolean }) {
    const button = h(
      'button',
      {
        class: 'button button-secondary end-meeting',
        testid: 'end-meeting',
        props: { type: 'button', title: t('end.title') },
        attrs: { 'aria-haspopup': 'dialog' },
        on: { click: () => this.#confirm(options) },
      },
      icon('power'),
      h('span', { text: t('end.button') }),
    );
    this.toolbarGroup = h(
      'div',
      {
        class: 'toolbar-group',
        props: { hidden: true },
        attrs: { role: 'group', 'aria-label': t('end.group') },
      },
      button,
    );
  }

  setModerator(moderator: boolean): void {
    this.toolbarGroup.hidden = !moderator;
    if (!moderator) this.#dialog?.close();
  }

  dispose(): void {
    this.#dialog?.close();
  }

  #confirm(options: { conference: Conference; act(action: () => void): boolean }): void {
    this.#dialog = confirmDialog({
      testid: 'end-meeting-dialog',
      title: t('end.confirmTitle'),
      text: t('end.confirmText'),
      confirmLabel: t('end.button'),
      confirmTestid: 'end-meeting-confirm',
      cancelTestid: 'end-meeting-cancel',
      danger: true,
      onConfirm: () => options.act(() => options.conference.endMeeting()),
    });
  }
}
