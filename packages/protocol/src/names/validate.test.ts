import { describe, expect, it } from 'vitest';
import {
  parseRoomName,
  ROOM_NAME_ERROR_MESSAGES,
  ROOM_NAME_MAX_LENGTH,
  ROOM_NAME_MIN_LENGTH,
  type RoomNameError,
  roomKey,
} from './validate.js';

describe('parseRoomName', () => {
  it('has the documented length limits', () => {
    expect(ROOM_NAME_MIN_LENGTH).toBe(3);
    expect(ROOM_NAME_MAX_LENGTH).toBe(64);
  });

  it.each([
    ['BraveOtters', 'BraveOtters', 'braveotters'],
    ['abc', 'abc', 'abc'],
    ['a'.repeat(64), 'a'.repeat(64), 'a'.repeat(64)],
    ['team-standup_2024.q3', 'team-standup_2024.q3', 'team-standup_2024.q3'],
    ['  BraveOtters\t\n', 'BraveOtters', 'braveotters'],
    ['\u00a0BraveOtters\u3000', 'BraveOtters', 'braveotters'], // no-break and ideographic spaces trim
    ['Ｂｒａｖｅ\uff2f\uff54\uff54\uff45\uff52\uff53', 'BraveOtters', 'braveotters'], // fullwidth letters
    ['Room\uff11\uff12\uff13', 'Room123', 'room123'], // fullwidth digits
    ['\ufb01sh-room', 'fish-room', 'fish-room'], // the "fi" ligature
    ['room\u00b2', 'room2', 'room2'], // superscript two
    ['\u212aelvin', 'Kelvin', 'kelvin'], // Kelvin sign
    ['a.b', 'a.b', 'a.b'],
    ['-_-', '-_-', '-_-'],
    ['007', '007', '007'],
  ])('accepts %j as %j with key %j', (input, name, key) => {
    expect(parseRoomName(input)).toEqual({ ok: true, name, key });
  });

  it.each<[string, RoomNameError]>([
    ['', 'empty'],
    ['   ', 'empty'],
    ['\u3000\t', 'empty'],
    ['ab', 'too-short'],
    [' ab ', 'too-short'],
    ['a'.repeat(65), 'too-long'],
    ['Brave Otters', 'invalid-characters'],
    ['Br\u0430veOtters', 'invalid-characters'], // Cyrillic а (U+0430) that looks like Latin a
    ['\u0421\u0430t', 'invalid-characters'], // Cyrillic С and а: looks like "Cat"
    ['\u0391lpha', 'invalid-characters'], // Greek capital alpha
    ['Café', 'invalid-characters'],
    ['Cafe\u0301', 'invalid-characters'], // e + combining acute: NFKC makes é
    ['room\u200bname', 'invalid-characters'], // zero-width space
    ['room\u202ename', 'invalid-characters'], // right-to-left override
    ['room/name', 'invalid-characters'],
    ['room#1', 'invalid-characters'],
    ['room\nname', 'invalid-characters'],
    ['会议室', 'invalid-characters'],
    ['🎉party', 'invalid-characters'],
    ['.hidden', 'invalid-dots'],
    ['trailing.', 'invalid-dots'],
    ['a..b', 'invalid-dots'],
    ['...', 'invalid-dots'],
    ['a\uff0e\uff0eb', 'invalid-dots'], // fullwidth full stops become ".."
  ])('rejects %j as %s', (input, reason) => {
    expect(parseRoomName(input)).toEqual({ ok: false, reason, message: ROOM_NAME_ERROR_MESSAGES[reason] });
  });

  it('gives every error a human-readable message', () => {
    for (const message of Object.values(ROOM_NAME_ERROR_MESSAGES)) expect(message).toMatch(/^[A-Z].{10,}\.$/);
    expect(ROOM_NAME_ERROR_MESSAGES['too-short']).toContain('3');
    expect(ROOM_NAME_ERROR_MESSAGES['too-long']).toContain('64');
  });

  it('counts the length after normalising and trimming', () => {
    expect(parseRoomName(`  ${'a'.repeat(64)}  `).ok).toBe(true);
    expect(parseRoomName('\uff41\uff42\uff43').ok).toBe(true); // three fullwidth letters
  });
});

describe('room keys', () => {
  it.each([
    ['BraveOtters', 'braveotters'],
    ['BraveOtters', 'BRAVEOTTERS'],
    ['BraveOtters', '  braveOtters '],
    ['BraveOtters', 'Ｂｒａｖｅ\uff2f\uff54\uff54\uff45\uff52\uff53'],
    ['BraveOtters', '\uff42\uff52\uff41\uff56\uff45\uff4f\uff54\uff54\uff45\uff52\uff53'],
  ])('%j and %j are the same meeting', (a, b) => {
    expect(roomKey(a)).not.toBeNull();
    expect(roomKey(a)).toBe(roomKey(b));
  });

  it.each([
    ['BraveOtters', 'Brave-Otters'],
    ['BraveOtters', 'BraveOtter'],
    ['team.a', 'team_a'],
  ])('%j and %j are different meetings', (a, b) => {
    expect(roomKey(a)).not.toBe(roomKey(b));
  });

  it('gives no key to a look-alike name, so it cannot become a second meeting that looks the same', () => {
    expect(roomKey('Br\u0430veOtters')).toBeNull();
    expect(roomKey('BraveOtters')).toBe('braveotters');
  });

  it('gives no key to an invalid name', () => {
    expect(roomKey('')).toBeNull();
    expect(roomKey('a..b')).toBeNull();
  });
});
