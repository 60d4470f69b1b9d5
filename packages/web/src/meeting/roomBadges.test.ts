import { describe, expect, it } from 'vitest';
import { roomChanges } from './roomBadges.js';

const room = (locked: boolean, lobby: boolean) => ({ locked, lobby, recording: false });

describe('roomChanges', () => {
  it('says what was switched, one sentence per change', () => {
    expect(roomChanges(room(false, false), room(true, false))).toEqual([
      'The meeting is now locked: joining needs the password.',
    ]);
    expect(roomChanges(room(true, true), room(false, false))).toEqual([
      'The meeting password was removed.',
      'The lobby is off: newcomers join directly.',
    ]);
    expect(roomChanges(room(false, false), room(false, true))[0]).toMatch(/lobby is on/);
  });

  it('says nothing when nothing changed (e.g. a new password on a locked meeting)', () => {
    expect(roomChanges(room(true, true), room(true, true))).toEqual([]);
  });
});
