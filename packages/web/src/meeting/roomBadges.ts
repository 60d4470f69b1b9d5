import type { RoomState } from '@conclave/protocol';
import { t } from '../i18n/index.js';
import { h } from '../ui/dom.js';
import { icon } from '../ui/icons.js';

/**
 * "Recording", "Locked" and "Lobby" pills in the header, for everyone: participants should know whether the
 * meeting is closed to people without the password, and whether newcomers are screened.
 */
export class RoomBadges {
  readonly el: HTMLElement;
  readonly #lock: HTMLElement;
  readonly #lobby: HTMLElement;
  readonly #recording: HTMLElement;

  constructor() {
    this.#lock = h(
      'span',
      {
        class: 'room-badge',
        testid: 'lock-indicator',
        props: { hidden: true, title: t('badge.lockedTitle') },
      },
      icon('key'),
      t('badge.locked'),
    );
    this.#lobby = h(
      'span',
      {
        class: 'room-badge',
        testid: 'lobby-indicator',
        props: { hidden: true, title: t('badge.lobbyTitle') },
      },
      icon('door'),
      t('badge.lobby'),
    );
    // PRIVACY P13: while a recording runs, everyone sees it, first in the row.
    this.#recording = h(
      'span',
      {
        class: 'room-badge recording-badge',
        testid: 'recording-indicator',
        props: { hidden: true, title: t('badge.recordingTitle') },
      },
      icon('record'),
      t('badge.recording'),
    );
    this.el = h(
      'p',
      { class: 'room-badges', attrs: { role: 'status' } },
      this.#recording,
      this.#lock,
      this.#lobby,
    );
  }

  set(room: RoomState): void {
    this.#lock.hidden = !room.locked;
    this.#lobby.hidden = !room.lobby;
    this.#recording.hidden = !room.recording;
  }
}

/** What changed about the meeting, in words for everyone (moderators see their own change confirmed). */
export function roomChanges(before: RoomState, after: RoomState): string[] {
  const changes: string[] = [];
  if (!before.locked && after.locked) changes.push(t('room.nowLocked'));
  if (before.locked && !after.locked) changes.push(t('room.unlocked'));
  if (!before.lobby && after.lobby) changes.push(t('room.lobbyOn'));
  if (before.lobby && !after.lobby) changes.push(t('room.lobbyOff'));
  return changes;
}
