import type { Conference } from '@conclave/client';
import { t } from '../i18n/index.js';
import { confirmDialog, type Modal } from '../ui/dialog.js';
import type { PeopleActions } from './participantList.js';

/**
 * What the people panel's controls do: moderator actions (removing someone asks first, with
 * *Cancel* focused), editing one's own profile, and lowering a raised hand. The server checks the
 * role of every action; `close` closes a confirmation still open when the meeting view goes.
 */
export function peopleActions(options: {
  conference: Conference;
  act(action: () => void): boolean;
  notify(text: string): void;
  nameOf(id: string): string;
  editProfile(): void;
  togglePin(id: string): void;
}): PeopleActions & { close(): void } {
  const { conference, act, nameOf } = options;
  let kickDialog: Modal | undefined;
  return {
    requestMute: (id) => act(() => conference.requestMute(id)),
    grantModerator: (id) => act(() => conference.grantModerator(id)),
    muteAll: () => {
      if (act(() => conference.muteAll())) options.notify(t('people.mutedAll'));
    },
    kick: (id) => {
      const name = nameOf(id);
      kickDialog = confirmDialog({
        testid: 'kick-dialog',
        title: t('people.removeTitle', { name }),
        text: t('people.removeText', { name }),
        confirmLabel: t('people.removeConfirm'),
        confirmTestid: 'kick-confirm',
        cancelTestid: 'kick-cancel',
        danger: true,
        onConfirm: () => act(() => conference.kick(id)),
      });
    },
    editProfile: () => options.editProfile(),
    togglePin: (id) => options.togglePin(id),
    lowerHand: (id) => act(() => conference.lowerHand(id === conference.self.id ? undefined : id)),
    close: () => kickDialog?.close(),
  };
}
